//! Python bindings for the YAPDNS parsers; the `yapdns` module is being built.
