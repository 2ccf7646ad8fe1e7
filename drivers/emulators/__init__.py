"""Emulated lock boards that speak the real protocols, for tests, benchmarks and `simulate --hardware`."""
