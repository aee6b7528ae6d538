// The results store.
