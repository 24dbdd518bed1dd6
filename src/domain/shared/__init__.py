"""What every context shares: money, identifiers, errors, dates, field checks, retries."""
