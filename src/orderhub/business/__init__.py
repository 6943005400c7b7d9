"""Business end customers, their sub-accounts, partner alliances and exception requests."""
