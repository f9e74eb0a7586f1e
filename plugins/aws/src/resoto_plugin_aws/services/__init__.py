"""Service modules: one module per AWS service, each with a module-level ``KINDS`` list.

See ``plugins/aws/README.md`` ("Adding a service") for the format.
"""
