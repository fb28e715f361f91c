# Loops and integer arithmetic.
total = 0
for i in range(300000):
    total += i * i % 7
    if total > 1000000:
        total -= 1000000
