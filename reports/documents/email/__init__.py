"""The weekly leadership email: config, context, rendering, message, sending, ledger.

Flow: :func:`reports.documents.email.context.build_weekly_context` (the run's weekly
figures, :meth:`reports.pipeline.RunContext.weekly`, arranged, plus narrative)
-> :func:`reports.documents.email.render.render_email` (HTML + text + PNG charts)
-> :func:`reports.documents.email.message.build_message` (``EmailMessage``)
-> :func:`reports.documents.email.send.send_message` over SMTP, guarded by
:mod:`reports.documents.email.ledger` so a week is never sent twice.
"""
