"""Reading and scoring conversations: rubrics, reviews, calibration, queues, coaching notes."""
