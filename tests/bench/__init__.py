"""Benchmarks: run by hand (`make bench`), results in docs/benchmarks.md; never pass/fail."""
