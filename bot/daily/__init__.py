"""Daily posts: when (schedule), what (plan), and sending it exactly once (poster)."""
