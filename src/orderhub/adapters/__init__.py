"""The outside world: each system a deployment plugs in is a Protocol with a sandbox
implementation. `registry.Adapters` picks the implementations at start-up."""
