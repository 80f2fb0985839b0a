enum _M {}
