"""Member-facing features, one package each, loaded by the bot as discord.py extensions.

lookup/   /paper, /search, /author, /digest, /top: lookups and their paged result lists
daily/    /daily: subscriptions, the scheduler, exactly-once daily posts, digest polling
"""
