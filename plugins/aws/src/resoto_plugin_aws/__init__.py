"""resoto-plugin-aws: AWS collection, cleanup and tagging for resotoworker.

The hooks live in :mod:`resoto_plugin_aws.plugin`; kinds are declared in
:mod:`resoto_plugin_aws.services` (see :mod:`resoto_plugin_aws.spec`).
"""
