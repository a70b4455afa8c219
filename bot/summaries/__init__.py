"""Korean summaries of built days' papers from an operator's OpenAI-compatible chat endpoint.

client.py   the chat completions protocol: URL, Bearer key from the environment, retries
prompt.py   the instructions (prompt.md here, or the operator's file) and the messages sent
prompt.md   the bundled prompt: three Korean bullets from the title and abstract
answer.py   a model's answer -> What's New / Technical Details / Performance Highlights (pure)
korean.py   a day's papers -> Korean summaries: capped, concurrent, within a deadline
built.py    the builder's hook: a built day's papers, reusing its file's Korean bullets
attempts.py which papers are asked again after failed requests (pure; the store keeps them)
"""
