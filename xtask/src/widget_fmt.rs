//! Traps in place of the widget's unreachable formatting code.
//!
//! The served widget never formats text: its panic handler traps without reading the
//! message, and it has no `format!`, `write!` or `to_string()` on a `Display` value. Yet
//! core's panic paths (a slice index out of bounds, a `RefCell` borrowed twice) still build
//! their messages' arguments, and those arguments point at `Display::fmt` functions through
//! the function table, which keeps them and the `Formatter` code they call (padding, integer
//! printing, character counting) in every download: about 1 KB gzipped. Nightly Rust drops
//! it with `panic_immediate_abort`; CI builds with stable.
//!
//! Formatting needs a writer: `core::fmt::write` drives every `format!` and `write!`, and
//! a `Formatter` can only write into an implementation of `core::fmt::Write`. A module with
//! neither can never run a `fmt` method, so this step replaces the bodies of those reached
//! only through the table with `unreachable` (the trap a panic ends in anyway), and wasm-opt
//! then drops what they called. A module that can format is left exactly as it is.
//!
//! The rule reads names from the wasm's name section, so it rests on every `Write`
//! implementation keeping its own name. LLVM could in principle merge one with an identical
//! function of another name; the browser tests run this build, and the step prints what it
//! trapped so a new name shows up in the build log.

use std::collections::HashSet;
use std::fmt;

use walrus::ir::{Unreachable, Visitor, dfs_in_order};
use walrus::{ExportItem, FunctionId, FunctionKind, Module};

/// What the step found: the functions it turned into traps, or the writer that kept it
/// from touching anything.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Trapped(Vec<String>),
    CanFormat(String),
}

/// The line the build prints.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Trapped(names) if names.is_empty() => {
                f.write_str("unreachable formatting code turned into traps: none found")
            }
            Outcome::Trapped(names) => write!(
                f,
                "unreachable formatting code turned into traps: {}",
                names.join(", ")
            ),
            Outcome::CanFormat(writer) => {
                write!(
                    f,
                    "the widget can format text ({writer}): its fmt code stays"
                )
            }
        }
    }
}

pub fn trap_unreachable_formatting(module: &mut Module) -> Outcome {
    if let Some(writer) = module
        .funcs
        .iter()
        .filter_map(|f| f.name.as_deref())
        .find(|name| is_writer(&plain(name)))
    {
        return Outcome::CanFormat(writer.to_owned());
    }
    let referenced = referenced_by_code_or_exports(module);
    let targets: Vec<(FunctionId, String)> = module
        .funcs
        .iter()
        .filter(|f| matches!(f.kind, FunctionKind::Local(_)) && !referenced.contains(&f.id()))
        .filter_map(|f| Some((f.id(), f.name.clone()?)))
        .filter(|(_, name)| is_fmt_method(&plain(name)))
        .collect();
    for (id, _) in &targets {
        if let FunctionKind::Local(local) = &mut module.funcs.get_mut(*id).kind {
            let mut body = local.builder_mut().func_body();
            body.instrs_mut().clear();
            body.instr(Unreachable {});
        }
    }
    Outcome::Trapped(targets.into_iter().map(|(_, name)| name).collect())
}

/// Functions something can call other than through the table: a `call` or `return_call`, a
/// `ref.func` in code, or an export.
fn referenced_by_code_or_exports(module: &Module) -> HashSet<FunctionId> {
    #[derive(Default)]
    struct Collect(HashSet<FunctionId>);
    impl Visitor<'_> for Collect {
        fn visit_function_id(&mut self, function: &FunctionId) {
            self.0.insert(*function);
        }
    }
    let mut collect = Collect::default();
    for (_, local) in module.funcs.iter_local() {
        dfs_in_order(&mut collect, local, local.entry_block());
    }
    for export in module.exports.iter() {
        if let ExportItem::Function(id) = export.item {
            collect.0.insert(id);
        }
    }
    collect.0
}

/// `core::fmt::write`, or a method of some `core::fmt::Write` implementation.
fn is_writer(name: &str) -> bool {
    name == "core::fmt::write" || implements(name, "Write")
}

/// `<T as core::fmt::Display>::fmt`, and the same for `Debug`, `LowerHex` and the rest.
fn is_fmt_method(name: &str) -> bool {
    name.ends_with(">::fmt") && implements(name, "")
}

/// Whether `name` is a method of an implementation of the `core::fmt` trait whose name
/// starts with `trait_prefix`, in either form demangled names take: `<T as core::fmt::Write>`
/// or, for an impl outside the type's and the trait's modules, `<impl core::fmt::Write for T>`.
fn implements(name: &str, trait_prefix: &str) -> bool {
    name.contains(&format!(" as core::fmt::{trait_prefix}"))
        || name.contains(&format!("<impl core::fmt::{trait_prefix}"))
}

/// A demangled name without crate disambiguators (`core[c5930c85a12de822]`), the counters
/// wasm-bindgen appends to repeated names (`[1]`), or the legacy hash suffix
/// (`::h0123456789abcdef`), so names compare across compiler versions.
fn plain(name: &str) -> String {
    let unbracketed = without_hex_brackets(name);
    match unbracketed.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && is_hash(hash) => head.to_owned(),
        _ => unbracketed,
    }
}

/// `name` without its bracketed hexadecimal runs (`[c5930c85a12de822]`, `[1]`).
fn without_hex_brackets(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|i| open + i);
        match close {
            Some(close) if is_hash(&rest[open + 1..close]) => {
                out.push_str(&rest[..open]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_hash(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::ir::Instr;
    use walrus::{
        ConstExpr, ElementItems, ElementKind, FunctionBuilder, ModuleConfig, RefType, ValType,
        ir::Value,
    };

    /// Whether a function's body is the single trap this step writes.
    fn is_trap(module: &Module, id: FunctionId) -> bool {
        match &module.funcs.get(id).kind {
            FunctionKind::Local(local) => {
                let instrs = &local.block(local.entry_block()).instrs;
                instrs.len() == 1 && matches!(instrs[0].0, Instr::Unreachable(_))
            }
            _ => false,
        }
    }

    const U32_DISPLAY: &str = "<u32 as core[c5930c85a12de822]::fmt::Display>::fmt";

    /// A function `(i32, i32) -> i32` that adds its arguments, named `name`.
    fn add(module: &mut Module, name: &str) -> FunctionId {
        let mut builder = FunctionBuilder::new(
            &mut module.types,
            &[ValType::I32, ValType::I32],
            &[ValType::I32],
        );
        let a = module.locals.add(ValType::I32);
        let b = module.locals.add(ValType::I32);
        builder
            .func_body()
            .local_get(a)
            .local_get(b)
            .binop(walrus::ir::BinaryOp::I32Add);
        let id = builder.finish(vec![a, b], &mut module.funcs);
        module.funcs.get_mut(id).name = Some(name.to_owned());
        id
    }

    /// A function that calls `callee` inside a block and takes a reference to `referenced`.
    fn caller(module: &mut Module, callee: FunctionId, referenced: FunctionId) -> FunctionId {
        let mut builder = FunctionBuilder::new(&mut module.types, &[], &[]);
        builder
            .func_body()
            .block(None, |block| {
                block.i32_const(1).i32_const(2).call(callee).drop();
            })
            .ref_func(referenced)
            .drop();
        builder.finish(vec![], &mut module.funcs)
    }

    fn empty_module() -> Module {
        Module::with_config(ModuleConfig::new())
    }

    /// A table holding `functions`, as rustc's output holds every function whose address
    /// is taken.
    fn table(module: &mut Module, functions: Vec<FunctionId>) {
        let table = module
            .tables
            .add_local(false, functions.len() as u64, None, RefType::FUNCREF);
        module.elements.add(
            ElementKind::Active {
                table,
                offset: ConstExpr::Value(Value::I32(0)),
            },
            ElementItems::Functions(functions),
        );
    }

    #[test]
    fn fmt_methods_reached_only_through_the_table_become_traps() {
        let mut module = empty_module();
        let display = add(&mut module, U32_DISPLAY);
        let debug = add(
            &mut module,
            "<core::cell::BorrowError as core::fmt::Debug>::fmt::h0123456789abcdef",
        );
        let other = add(&mut module, "snag_widget::text::push_decimal");
        let impl_form = add(
            &mut module,
            "x::<impl core::fmt::LowerHex for x::Id>::fmt::h0123456789abcdef[1]",
        );
        table(&mut module, vec![display, debug, other, impl_form]);
        let outcome = trap_unreachable_formatting(&mut module);
        let Outcome::Trapped(names) = outcome else {
            panic!("expected traps, got {outcome:?}");
        };
        assert_eq!(names.len(), 3);
        assert!(is_trap(&module, display));
        assert!(is_trap(&module, debug));
        assert!(is_trap(&module, impl_form));
        assert!(!is_trap(&module, other), "only fmt methods are touched");
        // The rewritten module is still valid wasm.
        Module::from_buffer(&module.emit_wasm()).expect("valid wasm");
    }

    #[test]
    fn a_module_with_a_writer_is_left_alone() {
        for writer in [
            "core[c5930c85a12de822]::fmt::write",
            "<alloc[abcd]::string::String as core[c5930c85a12de822]::fmt::Write>::write_str",
            "<x::Buf as core::fmt::Write>::write_char::h0123456789abcdef",
            "snag_widget::y::<impl core::fmt::Write for snag_widget::x::Buf>::write_str",
        ] {
            let mut module = empty_module();
            let display = add(&mut module, U32_DISPLAY);
            let writer_id = add(&mut module, writer);
            table(&mut module, vec![display, writer_id]);
            assert_eq!(
                trap_unreachable_formatting(&mut module),
                Outcome::CanFormat(writer.to_owned())
            );
            assert!(!is_trap(&module, display), "{writer}");
        }
    }

    #[test]
    fn fmt_methods_called_referenced_or_exported_are_left_alone() {
        let mut module = empty_module();
        let called = add(&mut module, U32_DISPLAY);
        let referenced = add(&mut module, "<u16 as core::fmt::Display>::fmt");
        caller(&mut module, called, referenced);
        let exported = add(&mut module, "<u8 as core::fmt::Display>::fmt");
        module.exports.add("fmt", exported);
        table(&mut module, vec![called, referenced, exported]);
        assert_eq!(
            trap_unreachable_formatting(&mut module),
            Outcome::Trapped(vec![])
        );
        assert!(!is_trap(&module, called));
        assert!(!is_trap(&module, referenced));
        assert!(!is_trap(&module, exported));
    }

    #[test]
    fn plain_names_drop_disambiguators_and_hashes() {
        assert_eq!(plain(U32_DISPLAY), "<u32 as core::fmt::Display>::fmt");
        assert_eq!(
            plain("core::fmt::write::h0123456789abcdef"),
            "core::fmt::write"
        );
        assert_eq!(
            plain("<u32 as core[c5]::fmt::Display>::fmt::h0123456789abcdef[1]"),
            "<u32 as core::fmt::Display>::fmt"
        );
        // Brackets that hold anything but a hash, and short `::h` tails, stay.
        assert_eq!(plain("<[u8] as x::Y>::fmt"), "<[u8] as x::Y>::fmt");
        assert_eq!(plain("<[] as x::Y>::fmt"), "<[] as x::Y>::fmt");
        assert_eq!(plain("a::hash"), "a::hash");
    }
}
