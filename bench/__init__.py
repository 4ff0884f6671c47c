"""Benchmarks for the site (`make bench`): build time, live-edit round trip, page weight, Lighthouse."""
