"""Automatic quality suggestions: rules that read every conversation and suggest a rating per
rubric category, each with the words that triggered it, offline, in English, Russian and
Chinese (Simplified and Traditional).

One job per module: `conversation` (the values the rules read and write), `text` (quoted text,
sentences, words), `language` (which language and script), `phrasebook` (the phrase lists and
the rule-set version), `checks` (greeting, closing, empathy, questions, solution, help, name,
rudeness), `effort` (turns, chasers, repeats, gaps), `churn_ack` (a churn signal taken up),
`readability`, `spelling`, `tone_model` (optional models), `engine` (all checks on one
conversation), `categories` (checks -> a rating per rubric category), `store` (the tables),
`run` (the job over many conversations), `accept` (a suggestion becomes a rating),
`agreement` (how far the rules agree with people, and the bar a category must pass).

Suggestions live apart from people's ratings: they never enter a review or the quality score.
"""
