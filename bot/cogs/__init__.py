"""One cog per user-facing job."""
