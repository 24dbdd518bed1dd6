"""The message senders: SES v2 for e-mail, AWS End User Messaging SMS for SMS, and fakes
that record what they were asked to send (make run, the service tests)."""
