package secret

// Key is exported.
const Key = 1
