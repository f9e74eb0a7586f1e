"""resoto-plugin-example: a synthetic cloud with local state, and the template for resotoworker plugins.

The hooks live in :mod:`resoto_plugin_example.plugin`, registered through the ``resoto.plugins``
entry point; see the README for the layout.
"""
