"""Running it: ``cli`` (treaty-bot ask | check | console | run | report | health), ``run``
(the python-telegram-bot Application, with the handlers, in polling or webhook mode),
``console`` (the local chat) and ``evaluation`` (the answer-quality measures of the tests
and benchmarks). The top layer: it may import everything below.
"""
