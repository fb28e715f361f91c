# Method calls and attribute updates on a user class.
class Accumulator:
    def __init__(self):
        self.total = 0
        self.calls = 0

    def add(self, k):
        self.total += k
        self.calls += 1
        return self

    def mean(self):
        return self.total / self.calls

acc = Accumulator()
for i in range(100000):
    acc.add(i)
m = acc.mean()
