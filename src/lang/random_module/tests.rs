use super::seed;
use super::twister;
use crate::lang::tests::eval::run;
use crate::lang::Session;
use crate::tensor::random::mt19937::Mt19937;

/// `random.seed(n); random.random()` in CPython 3.11.
#[test]
fn first_draws_match_cpython() {
    let draw = |key: Vec<u32>| twister::random(&mut Mt19937::from_key(&key));
    assert_eq!(draw(seed::int_key(42)), 0.6394267984578837);
    assert_eq!(draw(seed::int_key(0)), 0.8444218515250481);
    assert_eq!(draw(seed::int_key(-42)), 0.6394267984578837);
    assert_eq!(draw(seed::int_key(1 << 40)), 0.1036394562812375);
    assert_eq!(draw(seed::str_key("hello")), 0.3537754404730722);
}

/// Each call with CPython 3.11's exception line, as `python3` printed them.
const ERRORS: &[(&str, &str)] = &[
    ("random.randrange()", "TypeError: Random.randrange() missing 1 required positional argument: 'start'"),
    ("random.randrange(1, 2, 3, 4)", "TypeError: Random.randrange() takes from 2 to 4 positional arguments but 5 were given"),
    ("random.randrange(1, foo=3)", "TypeError: Random.randrange() got an unexpected keyword argument 'foo'"),
    ("random.randrange(1, start=3)", "TypeError: Random.randrange() got multiple values for argument 'start'"),
    ("random.randint(1)", "TypeError: Random.randint() missing 1 required positional argument: 'b'"),
    ("random.choice()", "TypeError: Random.choice() missing 1 required positional argument: 'seq'"),
    ("random.random(1)", "TypeError: Random.random() takes no arguments (1 given)"),
    ("random.random(x=1)", "TypeError: Random.random() takes no keyword arguments"),
    ("random.seed(1, 2, 3)", "TypeError: Random.seed() takes from 1 to 3 positional arguments but 4 were given"),
    ("random.seed([1])", "TypeError: The only supported seed types are: None,\nint, float, str, bytes, and bytearray."),
    ("random.seed((1, 2))", "TypeError: The only supported seed types are: None,\nint, float, str, bytes, and bytearray."),
    ("random.seed(x=3)", "TypeError: Random.seed() got an unexpected keyword argument 'x'"),
    ("random.getrandbits()", "TypeError: Random.getrandbits() takes exactly one argument (0 given)"),
    ("random.getrandbits(1.5)", "TypeError: 'float' object cannot be interpreted as an integer"),
    ("random.getrandbits(-1)", "ValueError: number of bits must be non-negative"),
    ("random.getrandbits(k=1)", "TypeError: Random.getrandbits() takes no keyword arguments"),
    ("random.getrandbits(1, 2)", "TypeError: Random.getrandbits() takes exactly one argument (2 given)"),
    ("random.shuffle('abc')", "TypeError: 'str' object does not support item assignment"),
    ("random.shuffle((1, 2))", "TypeError: 'tuple' object does not support item assignment"),
    ("random.shuffle(range(3))", "TypeError: 'range' object does not support item assignment"),
    ("random.shuffle(5)", "TypeError: object of type 'int' has no len()"),
    ("random.shuffle()", "TypeError: Random.shuffle() missing 1 required positional argument: 'x'"),
    ("random.shuffle([1], 2)", "TypeError: Random.shuffle() takes 2 positional arguments but 3 were given"),
    ("random.sample({1: 2}, 1)", "TypeError: Population must be a sequence.  For dicts or sets, use sorted(d)."),
    ("random.sample([1, 2], 3)", "ValueError: Sample larger than population or is negative"),
    ("random.sample([1, 2], -1)", "ValueError: Sample larger than population or is negative"),
    ("random.sample([1, 2], 1.5)", "TypeError: can't multiply sequence by non-int of type 'float'"),
    ("random.sample([1, 2], 2.5)", "ValueError: Sample larger than population or is negative"),
    ("random.sample([1, 2], 'a')", "TypeError: '<=' not supported between instances of 'int' and 'str'"),
    ("random.sample([1, 2])", "TypeError: Random.sample() missing 1 required positional argument: 'k'"),
    ("random.sample(k=1)", "TypeError: Random.sample() missing 1 required positional argument: 'population'"),
    ("random.sample([1], 1, 2)", "TypeError: Random.sample() takes 3 positional arguments but 4 were given"),
    ("random.sample([1, 2, 3], 2, counts=[1, 1])", "ValueError: The number of counts does not match the population"),
    ("random.sample([1, 2, 3], 2, counts=[1.5, 1, 1])", "TypeError: Counts must be integers"),
    ("random.sample([1, 2, 3], 2, counts=[0, 0, 0])", "ValueError: Total of counts must be greater than zero"),
    ("random.sample([], 0, counts=[])", "IndexError: pop from empty list"),
    ("random.choices([1, 2], 3)", "TypeError: The number of choices must be a keyword argument: k=3"),
    ("random.choices([1, 2], [1])", "ValueError: The number of weights does not match the population"),
    ("random.choices([], k=2)", "IndexError: list index out of range"),
    ("random.choices('', k=1)", "IndexError: string index out of range"),
    ("random.choices([1, 2], [0, 0])", "ValueError: Total of weights must be greater than zero"),
    ("random.choices([1, 2], [1, math.inf])", "ValueError: Total of weights must be finite"),
    ("random.choices([1, 2], [1, 2], cum_weights=[1, 2])", "TypeError: Cannot specify both weights and cumulative weights"),
    ("random.choices([1, 2, 3], [1, 2, 3], k=2.5)", "TypeError: 'float' object cannot be interpreted as an integer"),
    ("random.choices([1, 2, 3], ['a', 'b', 'c'])", "TypeError: can only concatenate str (not \"float\") to str"),
    ("random.choices([1, 2, 3], cum_weights=[1, 2])", "ValueError: The number of weights does not match the population"),
    ("random.choices([], cum_weights=[])", "IndexError: list index out of range"),
    ("random.choices([], cum_weights=())", "IndexError: tuple index out of range"),
    ("random.choices([1], None, 2)", "TypeError: Random.choices() takes from 2 to 3 positional arguments but 4 were given"),
    ("random.choices()", "TypeError: Random.choices() missing 1 required positional argument: 'population'"),
    ("random.choices([1, 2], 2.5)", "TypeError: 'float' object is not iterable"),
    ("random.choice([])", "IndexError: Cannot choose from an empty sequence"),
    ("random.choice('')", "IndexError: Cannot choose from an empty sequence"),
    ("random.choice(range(0))", "IndexError: Cannot choose from an empty sequence"),
    ("random.choice(5)", "TypeError: object of type 'int' has no len()"),
    ("random.choice({0: 'a'})", "(no error)"),
    ("random.choice({1: 'a'})", "KeyError: 0"),
    ("random.randrange(0)", "ValueError: empty range for randrange()"),
    ("random.randrange(-5)", "ValueError: empty range for randrange()"),
    ("random.randrange(5, 5)", "ValueError: empty range for randrange() (5, 5, 0)"),
    ("random.randrange(5, 1, 0)", "ValueError: zero step for randrange()"),
    ("random.randrange(5, 1, 1)", "ValueError: empty range for randrange() (5, 1, -4)"),
    ("random.randrange(1, 5, -1)", "ValueError: empty range for randrange()"),
    ("random.randrange(1.5)", "ValueError: non-integer arg 1 for randrange()"),
    ("random.randrange('a')", "ValueError: invalid literal for int() with base 10: 'a'"),
    ("random.randrange('5')", "ValueError: non-integer arg 1 for randrange()"),
    ("random.randrange(None)", "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"),
    ("random.randrange(1, 2.5)", "ValueError: non-integer stop for randrange()"),
    ("random.randrange(1, 5, 1.5)", "ValueError: non-integer step for randrange()"),
    ("random.randrange(1, 5, None)", "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"),
    ("random.randrange(10, step=2)", "TypeError: Missing a non-None stop argument"),
    ("random.randrange(10, None, 1.0)", "TypeError: Missing a non-None stop argument"),
    ("random.randint(1, 'a')", "TypeError: can only concatenate str (not \"int\") to str"),
    ("random.randint(5, 1)", "ValueError: empty range for randrange() (5, 2, -3)"),
    ("random.randint(1.5, 3)", "ValueError: non-integer arg 1 for randrange()"),
    ("random.gauss('a')", "TypeError: can only concatenate str (not \"float\") to str"),
    ("random.gauss(1, 2, 3)", "TypeError: Random.gauss() takes from 1 to 3 positional arguments but 4 were given"),
    ("random.gauss(sigma='x')", "TypeError: can't multiply sequence by non-int of type 'float'"),
    ("random.normalvariate(None)", "TypeError: unsupported operand type(s) for +: 'NoneType' and 'float'"),
    ("random.uniform('a', 1)", "TypeError: unsupported operand type(s) for -: 'int' and 'str'"),
    ("random.uniform(1)", "TypeError: Random.uniform() missing 1 required positional argument: 'b'"),
    ("random.uniform()", "TypeError: Random.uniform() missing 2 required positional arguments: 'a' and 'b'"),
    ("random.expovariate(0)", "ZeroDivisionError: float division by zero"),
    ("random.expovariate()", "TypeError: Random.expovariate() missing 1 required positional argument: 'lambd'"),
    ("random.expovariate('a')", "TypeError: unsupported operand type(s) for /: 'float' and 'str'"),
    ("random.gammavariate(0, 1)", "ValueError: gammavariate: alpha and beta must be > 0.0"),
    ("random.gammavariate(1, -1)", "ValueError: gammavariate: alpha and beta must be > 0.0"),
    ("random.gammavariate('a', 1)", "TypeError: '<=' not supported between instances of 'str' and 'float'"),
    ("random.betavariate(0, 1)", "ValueError: gammavariate: alpha and beta must be > 0.0"),
    ("random.paretovariate(0)", "ZeroDivisionError: float division by zero"),
    ("random.lognormvariate(1000, 1)", "OverflowError: math range error"),
    ("random.vonmisesvariate(0, 'k')", "TypeError: '<=' not supported between instances of 'str' and 'float'"),
    ("random.triangular(1, 'a', 2)", "TypeError: unsupported operand type(s) for -: 'str' and 'int'"),
    ("random.Random(1, 2)", "TypeError: Random.__init__() takes from 1 to 2 positional arguments but 3 were given"),
    ("random.Random([1])", "TypeError: The only supported seed types are: None,\nint, float, str, bytes, and bytearray."),
    ("random.setstate((1, 2))", "ValueError: state with version 1 passed to Random.setstate() of version 3"),
    ("random.setstate(5)", "TypeError: 'int' object is not subscriptable"),
    ("random.setstate((3, (1, 2), None))", "ValueError: state vector is the wrong size"),
    ("random.setstate((3, (1, 2)))", "ValueError: not enough values to unpack (expected 3, got 2)"),
    ("random.setstate((3, 1, 2, 3))", "ValueError: too many values to unpack (expected 3)"),
    ("random.setstate((3, [1] * 625, None))", "TypeError: state vector must be a tuple"),
    ("random.setstate((3, (-1,) * 625, None))", "OverflowError: can't convert negative value to unsigned int"),
    ("random.setstate((3, (1.0,) * 625, None))", "TypeError: an integer is required"),
    ("random.setstate((3, (1,) * 624 + (625,), None))", "ValueError: invalid state"),
    ("random.setstate((3, (1,) * 624 + (-1,), None))", "ValueError: invalid state"),
    ("random.setstate(('x', 1, 2))", "ValueError: state with version x passed to Random.setstate() of version 3"),
    ("random.getstate(1)", "TypeError: Random.getstate() takes 1 positional argument but 2 were given"),
    ("random.Random(3).nope", "AttributeError: 'Random' object has no attribute 'nope'"),
    ("random.nope", "AttributeError: module 'random' has no attribute 'nope'"),
];

#[test]
fn errors_are_cpythons() {
    let mut failures = Vec::new();
    for (code, want) in ERRORS {
        let out = run(
            &mut Session::new(),
            &format!("import random, math\n{code}\n"),
        );
        let ok = match *want {
            "(no error)" => !out.contains("Traceback"),
            want => out.trim_end().ends_with(want),
        };
        if !ok {
            failures.push(format!("{code}\n  want: {want}\n  got:  {out}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
