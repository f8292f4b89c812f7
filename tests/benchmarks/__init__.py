"""Speed and memory benchmarks (`make bench`): each step is reported as a ratio against a floor
measured in the same run, never as an absolute time asserted in a unit test."""
