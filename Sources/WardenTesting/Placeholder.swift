enum _T {}
