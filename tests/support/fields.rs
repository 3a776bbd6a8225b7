//! Lists the JSON members a model reads and writes: a `Serializer` that records the path of
//! every struct field it is shown — also the fields a `skip_serializing_if` leaves out, which
//! serde still announces with `skip_field` — as JSON pointers with `*` for array elements.
//!
//! Serialize and Deserialize of our models share their field names (`rename_all`), so the
//! paths of a populated value are the members the model reads from a response.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// Every field path of `value` (`/items/*/code`), sorted.
pub fn field_paths<T: Serialize>(value: &T) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let _ = value.serialize(Tracer { at: String::new(), out: &mut out });
    out
}

#[derive(Debug)]
pub struct Never(String);

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Never(msg.to_string())
    }
}

struct Tracer<'a> {
    at: String,
    out: &'a mut BTreeSet<String>,
}

impl<'a> Tracer<'a> {
    fn child(&mut self, segment: &str) -> Tracer<'_> {
        Tracer { at: format!("{}/{segment}", self.at), out: self.out }
    }
}

macro_rules! leaf {
    ($($name:ident: $ty:ty),* $(,)?) => {
        $(fn $name(self, _: $ty) -> Result<(), Never> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for Tracer<'a> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Never>;

    leaf!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
          serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
          serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
          serialize_str: &str, serialize_bytes: &[u8], serialize_unit_struct: &'static str);

    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never(format!("struct variants are not traced ({name})")))
    }
}

/// Sequences and tuples: every element sits at `<path>/*`.
macro_rules! elements {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl<'a> ser::$trait for Tracer<'a> {
            type Ok = ();
            type Error = Never;
            fn $method<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
                v.serialize(self.child("*"))
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Maps (free-form objects such as custom fields) are recorded as `<path>/{}`, not per key.
impl<'a> ser::SerializeMap for Tracer<'a> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, _: &T) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(self.child("{}"))
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl<'a> ser::SerializeStruct for Tracer<'a> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), Never> {
        let child = self.child(&escape(key));
        child.out.insert(child.at.clone());
        v.serialize(child)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Never> {
        let child = self.child(&escape(key));
        child.out.insert(child.at);
        Ok(())
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// JSON-pointer escaping of one member name (RAYNET has members like `rowInfo.createdAt`).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
