# Building lists and dicts, counting.
xs = [i % 13 for i in range(100000)]
counts = {}
for v in xs:
    counts[v] = counts.get(v, 0) + 1
squares = {i: i * i for i in range(30000)}
evens = [k for k, v in squares.items() if v % 2 == 0]
