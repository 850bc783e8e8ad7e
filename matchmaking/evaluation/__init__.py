"""The matchmaking yardstick: generated, hand-graded and public data the weights never saw.

See `run` for the four data sets and `scorers` for the baselines; `eval_matching` prints them.
"""
