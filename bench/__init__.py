"""`make bench`: a synthetic zone-size data set, a load client, and the report in docs/benchmarks.md."""
