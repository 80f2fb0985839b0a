enum _D {}
