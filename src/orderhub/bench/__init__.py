"""`orderhub bench`: whole orders against a real server, next to a minimal floor app.

Kept free of imports: the load generator imports this package and should start light.
"""
