"""The business catalog partners quote from: dedicated internet, ethernet, voice."""
