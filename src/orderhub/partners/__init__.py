"""Partners (B2B tenants), their API clients and their access tokens."""
