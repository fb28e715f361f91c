use std::sync::{Arc, Weak};

use super::Heap;
use crate::lang::dict::Dict;
use crate::lang::object::{Class, Instance};
use crate::lang::value::{shared, Value};

/// A chain of dicts this deep overflows a small stack when dropped recursively.
#[test]
fn a_deep_chain_drops_on_a_small_stack() {
    let dropped = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(|| {
            let mut chain = Value::None;
            for _ in 0..200_000 {
                let mut dict = Dict::new();
                dict.set_str("next", chain);
                chain = Value::Dict(shared(dict));
            }
            drop(chain);
        })
        .expect("spawn")
        .join();
    assert!(dropped.is_ok());
}

/// What a loose node frees: itself and its class (each node has a class of its own).
const FREED: usize = 2;

/// An instance whose attribute refers to itself, tracked in this thread's heap.
fn node(heap: &Arc<Heap>) -> Arc<Instance> {
    Heap::install(heap.clone());
    let class =
        Class::new("Node", "Node", "__main__", Vec::new(), Default::default()).expect("a class");
    let node = Instance::new(class);
    node.set(
        "me",
        Value::tuple(vec![Value::Int(1), Value::Instance(node.clone())]),
    );
    node
}

fn weak(node: Arc<Instance>) -> Weak<Instance> {
    Arc::downgrade(&node)
}

#[test]
fn a_collection_frees_only_what_nothing_else_holds() {
    let heap = Arc::new(Heap::default());
    let held = node(&heap);
    let loose = weak(node(&heap));
    assert_eq!(heap.collect(), FREED);
    assert!(loose.upgrade().is_none());
    assert!(held.get("me").is_some());
    assert_eq!(heap.collect(), 0);
}

/// What the running code has locked cannot be seen, so it is kept (until next time).
#[test]
fn an_object_in_use_is_kept() {
    let heap = Arc::new(Heap::default());
    let loose = node(&heap);
    let dict = loose.dict.clone();
    let loose = weak(loose);
    {
        let _in_use = dict.lock();
        assert_eq!(heap.collect(), 0);
    }
    assert!(loose.upgrade().is_some());
    drop(dict);
    assert_eq!(heap.collect(), FREED);
    assert!(loose.upgrade().is_none());
}

/// A dict `vars()` handed out outlives its instance, contents and all.
#[test]
fn a_shared_instance_dict_is_not_emptied() {
    let heap = Arc::new(Heap::default());
    let loose = node(&heap);
    let dict = loose.dict.clone();
    drop(loose);
    assert_eq!(heap.collect(), 0);
    assert!(crate::lang::value::lock(&dict).get_str("me").is_some());
    drop(dict);
    assert_eq!(heap.collect(), FREED);
}

#[test]
fn no_collection_while_a_dropped_generator_unwinds() {
    let heap = Arc::new(Heap::default());
    let _loose = weak(node(&heap));
    heap.orphan();
    assert_eq!(heap.collect(), 0);
    heap.orphan_done();
    assert_eq!(heap.collect(), FREED);
}
