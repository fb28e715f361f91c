# Building and taking apart strings.
parts = []
for i in range(40000):
    parts.append(f"{i}:{i % 7}")
text = ",".join(parts)
words = text.split(",")
total = sum(len(w) for w in words)
upper = [w.upper() for w in words if w.endswith("3")]
