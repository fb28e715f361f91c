//! Orders and results checked against CPython 3.11.7 (the Python line each case mirrors is in
//! its comment; `show` prints a set as `print` does).

use super::PySet;
use crate::lang::dict::Dict;
use crate::lang::hash::py_hash;
use crate::lang::repr::repr;
use crate::lang::value::{Range, Value};

fn int(i: i64) -> Value {
    Value::Int(i)
}

fn ints(values: impl IntoIterator<Item = i64>) -> Vec<Value> {
    values.into_iter().map(Value::Int).collect()
}

fn floats(values: &[f64]) -> Vec<Value> {
    values.iter().copied().map(Value::Float).collect()
}

fn tuple(items: Vec<Value>) -> Value {
    Value::tuple(items)
}

fn set_of(values: Vec<Value>) -> PySet {
    match PySet::from_values(values) {
        Ok(set) => set,
        Err(e) => panic!("{e:?}"),
    }
}

fn int_set(values: impl IntoIterator<Item = i64>) -> PySet {
    set_of(ints(values))
}

fn show(set: &PySet) -> String {
    if set.is_empty() {
        return "set()".into();
    }
    let items: Vec<String> = set.iter().map(repr).collect();
    format!("{{{}}}", items.join(", "))
}

fn show_values(values: &[Value]) -> String {
    let items: Vec<String> = values.iter().map(repr).collect();
    format!("[{}]", items.join(", "))
}

fn dict_of(keys: Vec<Value>) -> Dict {
    let mut dict = Dict::new();
    for key in keys {
        dict.insert(key, Value::None).ok();
    }
    dict
}

/// `len(s), list(s)[:8], sum(i*v for i,v in enumerate(s)) % 1000000007`: the order of a
/// big set in one line.
fn digest(set: &PySet) -> String {
    let values: Vec<i64> = set.iter().filter_map(Value::as_int).collect();
    let weighted = values.iter().enumerate().fold(0i128, |acc, (i, v)| {
        (acc + i as i128 * *v as i128) % 1_000_000_007
    });
    format!("{} {:?} {weighted}", values.len(), &values[..8])
}

#[test]
fn ints_iterate_in_table_order() {
    // set([10, 3, 8, 100, -1, 2**40])
    let s = int_set([10, 3, 8, 100, -1, 1 << 40]);
    assert_eq!(show(&s), "{1099511627776, 3, 100, 8, 10, -1}");
    // set(range(-20, 20, 3))
    assert_eq!(
        show(&int_set((-20..20).step_by(3))),
        "{1, 4, 7, 10, -20, 13, -17, 16, -14, 19, -11, -8, -5, -2}"
    );
    // set([(i * 37) % 101 for i in range(101)][:40])
    assert_eq!(
        show(&int_set((0..40).map(|i| (i * 37) % 101))),
        "{0, 3, 6, 9, 10, 13, 16, 19, 20, 23, 26, 29, 30, 33, 36, 37, 40, 43, 46, 47, 50, 53, \
         56, 57, 60, 63, 67, 70, 73, 74, 77, 80, 83, 84, 87, 90, 93, 94, 97, 100}"
    );
}

#[test]
fn colliding_and_extreme_ints() {
    // set([0, 8, 16, 24, 32, 64, 2**20, 2**40, 2**60, -8, -2**40])
    let s = int_set([
        0,
        8,
        16,
        24,
        32,
        64,
        1 << 20,
        1 << 40,
        1 << 60,
        -8,
        -(1 << 40),
    ]);
    assert_eq!(
        show(&s),
        "{0, 32, 64, 1048576, 1099511627776, 1152921504606846976, -1099511627776, 8, -8, 16, 24}"
    );
    // set([2**63-1, -2**63, 2**61-1, 0, 2**61, -(2**61-1), -1, -2, 1])
    let m = (1 << 61) - 1;
    let s = int_set([i64::MAX, i64::MIN, m, 0, 1 << 61, -m, -1, -2, 1]);
    assert_eq!(
        show(&s),
        "{2305843009213693951, 0, 2305843009213693952, 9223372036854775807, \
         -2305843009213693951, 1, -2, -9223372036854775808, -1}"
    );
}

#[test]
fn insertion_reuses_the_last_dummy_on_the_probe_path() {
    // s={0,8,16,24}; s.remove(8); s.remove(24); s.add(8)
    let mut s = int_set([0, 8, 16, 24]);
    s.remove(&int(8)).unwrap();
    s.remove(&int(24)).unwrap();
    s.insert(int(8)).unwrap();
    assert_eq!(show(&s), "{0, 16, 8}");
    // s=set(range(12)); discard 3,5,7,9; add 40, 21, 5, 100, 3
    let mut s = int_set(0..12);
    for v in [3, 5, 7, 9] {
        assert!(s.discard(&int(v)).unwrap());
    }
    assert!(!s.discard(&int(9)).unwrap());
    for v in [40, 21, 5, 100, 3] {
        s.insert(int(v)).unwrap();
    }
    assert_eq!(show(&s), "{0, 1, 2, 3, 4, 100, 6, 5, 8, 40, 10, 11, 21}");
}

#[test]
fn remove_of_a_missing_key_is_a_key_error() {
    let mut s = int_set([1]);
    let err = s.remove(&tuple(ints([1, 2]))).unwrap_err();
    assert!(format!("{err:?}").contains("KeyError"));
    assert!(format!("{err:?}").contains("(1, 2)"));
}

#[test]
fn pop_follows_the_finger() {
    // s=set([5, 13, 21, 2, 3]); [s.pop() for _ in range(3)]; s.add(29); s.add(6); s.pop(), s.pop()
    let mut s = int_set([5, 13, 21, 2, 3]);
    let popped: Vec<Value> = (0..3).filter_map(|_| s.pop()).collect();
    assert_eq!(show_values(&popped), "[2, 3, 5]");
    s.insert(int(29)).unwrap();
    s.insert(int(6)).unwrap();
    let popped: Vec<Value> = (0..2).filter_map(|_| s.pop()).collect();
    assert_eq!(show_values(&popped), "[6, 13]");
    assert_eq!(show(&s), "{21, 29}");
    // the finger survives clear: s=set(range(5)); s.pop(); s.pop(); s.clear(); s.update(...)
    let mut s = int_set(0..5);
    s.pop();
    s.pop();
    s.clear();
    assert!(s.pop().is_none());
    s.update_values(ints([7, 0, 1, 2, 9])).unwrap();
    assert_eq!(s.pop().and_then(|v| v.as_int()), Some(2));
    assert_eq!(show(&s), "{0, 1, 7, 9}");
}

#[test]
fn floats_and_mixed_numbers() {
    // set([1.5, 2.5, -0.5, 1e300, 5e-324, inf, -inf, 0.1, 3.0, 2**0.5, -1e-300])
    let s = set_of(floats(&[
        1.5,
        2.5,
        -0.5,
        1e300,
        5e-324,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.1,
        3.0,
        2f64.sqrt(),
        -1e-300,
    ]));
    assert_eq!(
        show(&s),
        "{-0.5, 1.5, 2.5, 5e-324, 0.1, 3.0, 1.4142135623730951, inf, -inf, -1e-300, 1e+300}"
    );
    // equal numbers are one element, the first one kept
    let one = || vec![int(1), Value::Float(1.0), Value::Bool(true)];
    assert_eq!(show(&set_of(one())), "{1}");
    assert_eq!(show(&set_of(one().into_iter().rev().collect())), "{True}");
    let zeros = vec![
        Value::Float(0.0),
        Value::Float(-0.0),
        int(0),
        Value::Bool(false),
    ];
    assert_eq!(show(&set_of(zeros)), "{0.0}");
    // set([2.0, 1, 3.5, True, 0, 2])
    let mixed = vec![
        Value::Float(2.0),
        int(1),
        Value::Float(3.5),
        Value::Bool(true),
        int(0),
        int(2),
    ];
    assert_eq!(show(&set_of(mixed)), "{0, 1, 2.0, 3.5}");
    // set([2**53+1, float(2**53), 2**53]): equality is exact
    let p = 1i64 << 53;
    let s = set_of(vec![int(p + 1), Value::Float(p as f64), int(p)]);
    assert_eq!(show(&s), "{9007199254740992.0, 9007199254740993}");
}

#[test]
fn tuples_hash_like_cpython() {
    // set([(1, 2), (2, 1), (), (1,), ((1, 2), 3), (1.5, -1), ('',), (0, 0, 0)])
    let s = set_of(vec![
        tuple(ints([1, 2])),
        tuple(ints([2, 1])),
        tuple(vec![]),
        tuple(ints([1])),
        tuple(vec![tuple(ints([1, 2])), int(3)]),
        tuple(vec![Value::Float(1.5), int(-1)]),
        tuple(vec![Value::str("")]),
        tuple(ints([0, 0, 0])),
    ]);
    assert_eq!(
        show(&s),
        "{(1, 2), (2, 1), (1.5, -1), (0, 0, 0), ((1, 2), 3), (1,), ('',), ()}"
    );
}

#[test]
fn none_takes_the_slot_it_takes_in_cpython() {
    let with_none = |v: &[i64]| {
        let mut values = vec![Value::None];
        values.extend(ints(v.iter().copied()));
        show(&set_of(values))
    };
    assert_eq!(with_none(&[1, 2, 3, 5, 7]), "{1, 2, 3, 5, 7, None}");
    assert_eq!(with_none(&[3]), "{3, None}");
    assert_eq!(with_none(&[-1, 8, 6]), "{8, 6, None, -1}");
}

#[test]
fn constant_displays_merge_a_rebuilt_frozenset() {
    // {15, -20, 76} vs a = 15; {a, -20, 76}
    let items = || ints([15, -20, 76]);
    assert_eq!(
        show(&PySet::from_constant_display(items()).unwrap()),
        "{-20, 15, 76}"
    );
    assert_eq!(show(&set_of(items())), "{-20, 76, 15}");
    // {10, 3, 8, 100, -1, 2**40, 9, 17, 33, 65}: merged into a smaller table
    let items = ints([10, 3, 8, 100, -1, 1 << 40, 9, 17, 33, 65]);
    assert_eq!(
        show(&PySet::from_constant_display(items.clone()).unwrap()),
        "{1099511627776, 33, 65, 3, 100, 8, 9, 10, 17, -1}"
    );
    // [v for v in {15, -20, 76, 4, 12}]
    let frozen = PySet::constant_frozenset(ints([15, -20, 76, 4, 12])).unwrap();
    assert_eq!(show(&frozen), "{4, -20, 12, 76, 15}");
}

#[test]
fn set_of_a_dict_resizes_once_up_front() {
    // l=[-39, 31, 62, 21, 487]; set(dict.fromkeys(l)); set(l)
    let l = ints([-39, 31, 62, 21, 487]);
    let mut s = PySet::new();
    s.update_dict(&dict_of(l.clone())).unwrap();
    assert_eq!(show(&s), "{21, 487, -39, 62, 31}");
    assert_eq!(show(&set_of(l)), "{487, 21, -39, 62, 31}");
}

#[test]
fn big_tables() {
    // s=set(range(0, 70000, 7))
    let s = int_set((0..70000).step_by(7));
    assert_eq!(
        digest(&s),
        "10000 [0, 65541, 32774, 7, 65548, 32781, 14, 65555] 389706927"
    );
    // s=set(range(100000, 0, -3)); [s.discard(v) for v in range(0, 100000, 5)]
    let mut s = int_set((1..=100000).rev().step_by(3));
    for v in (0..100000).step_by(5) {
        s.discard(&int(v)).unwrap();
    }
    assert_eq!(digest(&s), "26668 [1, 4, 7, 13, 16, 19, 22, 28] 147982206");
}

#[test]
fn copy_drops_dummies() {
    // s=set(range(20)); [s.remove(v) for v in (1, 4, 9, 16)]; s, s.copy()
    let mut s = int_set(0..20);
    for v in [1, 4, 9, 16] {
        s.remove(&int(v)).unwrap();
    }
    let expected = "{0, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 17, 18, 19}";
    assert_eq!(show(&s), expected);
    assert_eq!(show(&s.copy()), expected);
    // s=set(range(40)); remove the evens; s.add(-7); s.copy()
    let mut s = int_set(0..40);
    for v in (0..40).step_by(2) {
        s.remove(&int(v)).unwrap();
    }
    s.insert(int(-7)).unwrap();
    let expected =
        "{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, -7}";
    assert_eq!(show(&s.copy()), expected);
    assert_eq!(show(&s), expected);
}

fn a() -> PySet {
    int_set([5, 13, 21, 2, 3, 40, 64, -3, 7])
}

fn b() -> PySet {
    int_set([13, 2, 99, 40, 1000, -3, 8, 16])
}

#[test]
fn operators_on_small_sets() {
    let (a, b) = (a(), b());
    assert_eq!(
        show(&a.union(&b)),
        "{64, 2, 3, 99, 5, 7, 40, 1000, 8, 13, 16, 21, -3}"
    );
    assert_eq!(
        show(&b.union(&a)),
        "{64, 2, 99, 3, 5, 7, 40, 1000, 8, 13, 16, 21, -3}"
    );
    assert_eq!(show(&a.intersection(&b)), "{40, -3, 2, 13}");
    assert_eq!(show(&b.intersection(&a)), "{40, -3, 2, 13}");
    assert_eq!(show(&a.difference(&b)), "{64, 3, 5, 7, 21}");
    assert_eq!(show(&b.difference(&a)), "{1000, 8, 99, 16}");
    assert_eq!(
        show(&a.symmetric_difference(&b)),
        "{64, 99, 3, 5, 7, 1000, 8, 16, 21}"
    );
    assert_eq!(
        show(&b.symmetric_difference(&a)),
        "{64, 3, 99, 5, 7, 1000, 8, 16, 21}"
    );
}

#[test]
fn intersection_keeps_the_walked_operands_elements() {
    // set([1]) & set([1.0]); set([1, 2]) & set([2.0, 5]); set([1, 2, 3]) & set([True])
    let one = set_of(vec![int(1)]);
    assert_eq!(
        show(&one.intersection(&set_of(vec![Value::Float(1.0)]))),
        "{1.0}"
    );
    let other = set_of(vec![Value::Float(2.0), int(5)]);
    assert_eq!(show(&int_set([1, 2]).intersection(&other)), "{2.0}");
    let t = set_of(vec![Value::Bool(true)]);
    assert_eq!(show(&int_set([1, 2, 3]).intersection(&t)), "{True}");
}

fn big() -> PySet {
    int_set((0..200).step_by(3))
}

fn small() -> PySet {
    int_set([9, 300, 30, 31, 0, 198])
}

/// `big` without 0, 9, 30 and 198.
const BIG_LESS_SMALL: &str = "{3, 6, 12, 15, 18, 21, 24, 27, 33, 36, 39, 42, 45, 48, 51, 54, \
     57, 60, 63, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108, 111, 114, 117, \
     120, 123, 126, 129, 132, 135, 138, 141, 144, 147, 150, 153, 156, 159, 162, 165, 168, 171, \
     174, 177, 180, 183, 186, 189, 192, 195}";

#[test]
fn operators_on_unequal_sizes() {
    let (big, small) = (big(), small());
    assert_eq!(show(&big.difference(&small)), BIG_LESS_SMALL);
    assert_eq!(show(&small.difference(&big)), "{300, 31}");
    assert_eq!(show(&big.intersection(&small)), "{0, 9, 198, 30}");
    assert_eq!(
        show(&small.symmetric_difference(&big)),
        "{3, 6, 12, 15, 18, 21, 24, 27, 31, 33, 36, 39, 42, 300, 45, 48, 51, 54, 57, 60, 63, \
         66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108, 111, 114, 117, 120, 123, \
         126, 129, 132, 135, 138, 141, 144, 147, 150, 153, 156, 159, 162, 165, 168, 171, 174, \
         177, 180, 183, 186, 189, 192, 195}"
    );
    assert_eq!(
        show(&big.union(&small)),
        "{0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 31, 33, 36, 39, 42, 300, 45, 48, 51, 54, 57, \
         60, 63, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108, 111, 114, 117, \
         120, 123, 126, 129, 132, 135, 138, 141, 144, 147, 150, 153, 156, 159, 162, 165, 168, \
         171, 174, 177, 180, 183, 186, 189, 192, 195, 198}"
    );
}

#[test]
fn methods_taking_iterables() {
    let (big, small) = (big(), small());
    // big.intersection([198, 9, 4, 30, 0, 300]); set([1, 2]).intersection([2, 1, 7])
    let hits = big
        .intersection_values(ints([198, 9, 4, 30, 0, 300]))
        .unwrap();
    assert_eq!(show(&hits), "{0, 9, 198, 30}");
    let early = int_set([1, 2])
        .intersection_values(ints([2, 1, 7]))
        .unwrap();
    assert_eq!(show(&early), "{1, 2}");
    // the walk stops once the result is full, before an unhashable value
    let unhashable = Value::list(vec![]);
    let stop = int_set([1, 2]).intersection_values(vec![int(1), int(2), unhashable.clone()]);
    assert_eq!(show(&stop.unwrap()), "{1, 2}");
    assert!(int_set([1, 2])
        .intersection_values(vec![unhashable])
        .is_err());
    // big.difference([...]); small.difference(range(0, 100))
    let less = big
        .difference_values(ints([9, 300, 30, 31, 0, 198]))
        .unwrap();
    assert_eq!(show(&less), BIG_LESS_SMALL);
    assert_eq!(
        show(&small.difference_values(ints(0..100)).unwrap()),
        "{198, 300}"
    );
    // small.difference(d), big.difference(d) with d = dict.fromkeys([9, 300, 30, 31, 0, 198])
    let d = dict_of(ints([9, 300, 30, 31, 0, 198]));
    assert_eq!(show(&small.difference_dict(&d).unwrap()), "set()");
    assert_eq!(show(&big.difference_dict(&d).unwrap()), BIG_LESS_SMALL);
}

#[test]
fn in_place_updates() {
    // s=set(big); s -= set(range(0, 200, 2))
    let mut s = big().copy();
    s.difference_update(&int_set((0..200).step_by(2)));
    assert_eq!(
        show(&s),
        "{3, 9, 15, 21, 27, 33, 39, 45, 51, 57, 63, 69, 75, 81, 87, 93, 99, 105, 111, 117, 123, \
         129, 135, 141, 147, 153, 159, 165, 171, 177, 183, 189, 195}"
    );
    // s=set(big); s.difference_update(range(0, 150))
    let mut s = big().copy();
    s.difference_update_values(ints(0..150)).unwrap();
    assert_eq!(
        show(&s),
        "{150, 153, 156, 159, 162, 165, 168, 171, 174, 177, 180, 183, 186, 189, 192, 195, 198}"
    );
    // s &= small; s &= big; s.intersection_update([198, 9, 4, 30, 0])
    let mut s = big().copy();
    s.intersection_update(&small());
    assert_eq!(show(&s), "{0, 9, 198, 30}");
    let mut s = small().copy();
    s.intersection_update(&big());
    assert_eq!(show(&s), "{0, 9, 198, 30}");
    let mut s = big().copy();
    s.intersection_update_values(ints([198, 9, 4, 30, 0]))
        .unwrap();
    assert_eq!(show(&s), "{0, 9, 198, 30}");
    // s=set(A); s ^= B
    let mut s = a().copy();
    s.symmetric_difference_update(&b());
    assert_eq!(show(&s), "{64, 3, 99, 5, 7, 1000, 8, 16, 21}");
    // s.symmetric_difference_update(dict.fromkeys(l)) / (l) / set(l).symmetric_difference(A)
    let l = || ints([99, 5, 13, 77, 1000]);
    let expected = "{64, 2, 3, 99, 7, 40, 1000, 77, 21, -3}";
    let mut s = a().copy();
    s.symmetric_difference_update_dict(&dict_of(l())).unwrap();
    assert_eq!(show(&s), expected);
    let mut s = a().copy();
    s.symmetric_difference_update(&set_of(l()));
    assert_eq!(show(&s), expected);
    assert_eq!(show(&set_of(l()).symmetric_difference(&a())), expected);
    // s |= B; s.update(dict.fromkeys(range(30, 40)))
    let mut s = a().copy();
    s.update(&b());
    assert_eq!(
        show(&s),
        "{64, 2, 3, 99, 5, 7, 40, 1000, 8, 13, 16, 21, -3}"
    );
    let mut s = a().copy();
    s.update_dict(&dict_of(ints(30..40))).unwrap();
    assert_eq!(
        show(&s),
        "{64, 2, 3, 5, 7, 13, 21, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, -3}"
    );
}

#[test]
fn pop_after_an_intersection() {
    // s=big & small; s.pop(), s.pop(); s.add(3); s.pop()
    let mut s = big().intersection(&small());
    assert_eq!(s.pop().and_then(|v| v.as_int()), Some(0));
    assert_eq!(s.pop().and_then(|v| v.as_int()), Some(9));
    s.insert(int(3)).unwrap();
    assert_eq!(s.pop().and_then(|v| v.as_int()), Some(3));
}

#[test]
fn comparisons() {
    let (a, b) = (a(), b());
    let ab = a.union(&b);
    assert!(a.is_subset(&ab) && ab.is_superset(&a));
    assert!(!a.is_subset(&b) && !a.is_disjoint(&b));
    assert!(a.is_disjoint(&int_set([100, 101])));
    assert!(int_set([1, 2]) == set_of(vec![Value::Float(2.0), int(1)]));
    assert!(int_set([1, 2]) != int_set([1, 3]));
    // {1,2}.issuperset([1, 2]), {1,2}.issuperset([3, []]), {1,2}.isdisjoint([1, []])
    let s = int_set([1, 2]);
    assert!(s.is_superset_values(ints([1, 2])).unwrap());
    let list = Value::list(vec![]);
    assert!(!s.is_superset_values(vec![int(3), list.clone()]).unwrap());
    assert!(!s.is_disjoint_values(vec![int(1), list.clone()]).unwrap());
    assert!(s.is_disjoint_values(vec![list]).is_err());
}

#[test]
fn frozenset_hashes() {
    assert_eq!(PySet::new().frozenset_hash(), 133146708735736);
    assert_eq!(int_set([1, 2, 3]).frozenset_hash(), -272375401224217160);
    assert_eq!(int_set([-1]).frozenset_hash(), 6776983852052281967);
    // frozenset([1.5, (1, 2), ''])
    let mixed = set_of(vec![Value::Float(1.5), tuple(ints([1, 2])), Value::str("")]);
    assert_eq!(mixed.frozenset_hash(), 4525255750453297518);
    assert_eq!(int_set(0..100).frozenset_hash(), 4411996150312757951);
    // independent of dummies: s = set(range(10)); s.discard(3)
    let mut s = int_set(0..10);
    s.discard(&int(3)).unwrap();
    assert_eq!(s.frozenset_hash(), 6823498452920295245);
}

fn hashes(values: Vec<Value>) -> Vec<i64> {
    values.iter().map(|v| py_hash(v).unwrap()).collect()
}

#[test]
fn number_hashes() {
    let m = (1i64 << 61) - 1;
    let values = ints([
        0,
        1,
        -1,
        -2,
        m - 1,
        m,
        m + 1,
        1 << 62,
        i64::MAX,
        i64::MIN,
        12345678901234,
    ]);
    assert_eq!(
        hashes(values),
        [
            0,
            1,
            -2,
            -2,
            2305843009213693950,
            0,
            1,
            2,
            3,
            -4,
            12345678901234
        ]
    );
    let values = floats(&[
        0.5,
        -0.5,
        1.5,
        1e300,
        5e-324,
        3.0 * 2f64.powi(-1074),
        1e-300,
        0.1,
        -2.5e17,
        2f64.powi(61),
        2f64.powi(70),
        3.0,
        -1.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
    ]);
    assert_eq!(
        hashes(values),
        [
            1152921504606846976,
            -1152921504606846976,
            1152921504606846977,
            1224995262755759164,
            16777216,
            50331648,
            482449582752280463,
            230584300921369408,
            -250000000000000000,
            1,
            512,
            3,
            -2,
            314159,
            -314159,
            0
        ]
    );
    assert_eq!(py_hash(&Value::Bool(true)).unwrap(), 1);
}

#[test]
fn tuple_and_range_hashes() {
    let values = vec![
        tuple(vec![]),
        tuple(ints([1])),
        tuple(ints([1, 2])),
        tuple(vec![tuple(ints([1, 2])), int(3)]),
        tuple(vec![Value::Float(1.5), int(-1), tuple(ints([2, 3]))]),
        tuple(vec![Value::Bool(true), Value::Bool(false)]),
        tuple(ints([-1])),
        tuple(vec![Value::Float(0.1), Value::str("")]),
    ];
    assert_eq!(
        hashes(values),
        [
            5740354900026072187,
            -6644214454873602895,
            -3550055125485641917,
            -333907151259015829,
            -8589884423959196343,
            -5164621852614943976,
            8078679518589016365,
            5163567919375010056
        ]
    );
    let range = |start, stop, step| Value::Range(std::sync::Arc::new(Range { start, stop, step }));
    let values = vec![range(0, 10, 2), range(3, 90, 7), range(-5, 5, 1)];
    assert_eq!(
        hashes(values),
        [
            -6143170332311272345,
            246288520595809736,
            -7219056201848622363
        ]
    );
}

#[test]
fn unhashable_values_are_type_errors() {
    for (value, name) in [
        (Value::list(vec![]), "list"),
        (tuple(vec![int(1), Value::list(vec![])]), "list"),
    ] {
        let err = PySet::new().insert(value).unwrap_err();
        assert!(format!("{err:?}").contains(&format!("unhashable type: '{name}'")));
    }
    assert!(int_set([1]).contains(&Value::list(vec![])).is_err());
}
