"""Benchmarks and load generators (STYLE.md convention 12); not run by the unit suite."""
