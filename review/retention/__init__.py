"""Saved and lost customers, money and billing lists, churn signals."""
