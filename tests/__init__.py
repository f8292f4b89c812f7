"""savedesk's tests. A regular package: spylls installs a top-level `tests` package of its own
into site-packages, which would shadow a namespace package of this name."""
