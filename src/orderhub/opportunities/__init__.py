"""B2B opportunities: a partner's chance to do business with one end customer (seed 002)."""
