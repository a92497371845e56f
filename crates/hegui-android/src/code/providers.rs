//! Content-provider calls on PI URIs: `ContentResolver.query(Phone.CONTENT_URI, …)`,
//! `new CursorLoader(ctx, Uri.parse("content://sms/inbox"), …)`.
//!
//! The walk notes where each method names a PI URI (a string or a provider field, already
//! recorded as a URI reference) and the fields such a method stores values in. After the
//! walk, each provider call's URI argument is traced by the local data flow to one of those:
//! the URI itself, a URI built from it (`Uri.parse`, `withAppendedPath`, `withAppendedId`), or
//! an app field that holds one (`static final Uri SMS = Uri.parse("content://sms")`). A URI
//! from a parameter or a returned intent is not judged: nothing in the method says which
//! provider it reads; the site is listed in `dismissed_calls` with why.

use ahash::{AHashMap, AHashSet};
use hegui_dex::{Dex, Site, descriptor_to_java};
use hegui_model::{ApiAccess, ApiUse, ApiVia, DismissReason, Party};

use super::{MAX_API_USES, MethodCode, PendingIndirect, Resolver};
use crate::flow::{self, Val};
use crate::indirect::Indirect;

/// Where a method names a PI content URI.
#[derive(Clone, Copy, Debug)]
pub(super) struct ContentRef {
    /// The value that names it: `Val::Str` or `Val::Field`.
    key: Val,
    offset: u32,
    /// Its record in `api_uses`.
    use_index: usize,
}

/// A field write in a method that names a PI URI: the field may hold the URI.
#[derive(Clone, Copy, Debug)]
pub(super) struct UriStore {
    pub(super) code: MethodCode,
    pub(super) method: u32,
    pub(super) offset: u32,
    pub(super) field: u32,
}

/// Calls whose result names the same provider as their URI or string argument.
fn is_uri_builder(dex: &Dex<'_>, m: u32) -> bool {
    dex.method_ref(m).is_ok_and(|r| {
        matches!(
            (r.class.as_ref(), r.name.as_ref()),
            ("Landroid/net/Uri;", "parse" | "withAppendedPath")
                | ("Landroid/content/ContentUris;", "withAppendedId")
                | ("Landroid/net/Uri$Builder;", "build")
        )
    })
}

impl Resolver<'_, '_> {
    /// The URI reference just recorded (the last API use, at `site`) is one a provider call
    /// may use.
    pub(super) fn note_content_ref(&mut self, site: &Site, key: Val) {
        let Some(use_index) = self.out.api_uses.len().checked_sub(1) else {
            return;
        };
        // `record_api` stops at its cap: then there is no record of this site.
        if self
            .out
            .api_uses
            .get(use_index)
            .is_none_or(|u| u.offset != site.file_offset)
        {
            return;
        }
        self.content_refs
            .entry(site.method_idx)
            .or_default()
            .push(ContentRef {
                key,
                offset: site.file_offset,
                use_index,
            });
    }

    /// The PI URI a value of `method` holds at `before`: the reference it was read from, or
    /// for a built URI the last reference before it.
    fn uri_ref_in(&self, method: u32, v: Val, before: u32) -> Option<ContentRef> {
        let refs = self.content_refs.get(&method)?;
        let mut earlier = refs.iter().rev().filter(|r| r.offset < before);
        match v {
            Val::Field(_) | Val::Str(_) => earlier.find(|r| r.key == v).copied(),
            Val::Ret(m) if is_uri_builder(self.dex, m) => earlier.next().copied(),
            _ => None,
        }
    }

    /// App fields that hold a PI URI, from the writes noted during the walk.
    fn uri_fields(&mut self) -> AHashMap<u32, ContentRef> {
        let mut fields = AHashMap::new();
        for store in std::mem::take(&mut self.uri_stores) {
            let bytes = self.code_bytes(store.code);
            let pos = store.offset.saturating_sub(store.code.off) as usize;
            let v = flow::stored_value(bytes, store.code.registers, store.code.ins, pos);
            if let Some(r) = self.uri_ref_in(store.method, v, store.offset) {
                fields.entry(store.field).or_insert(r);
            }
        }
        fields
    }

    /// Judge every provider call by its URI argument (see the module doc).
    pub(super) fn resolve_content_calls(&mut self) {
        let pending = std::mem::take(&mut self.pending_content);
        if pending.is_empty() {
            return;
        }
        let uri_fields = self.uri_fields();
        // URI references already turned into the call that uses them.
        let mut consumed: AHashSet<usize> = AHashSet::new();
        // References read through an app field by calls elsewhere: the calls replace them.
        let mut used_elsewhere: AHashSet<usize> = AHashSet::new();
        for p in pending {
            let Indirect::Provider { uri_arg, write } = p.kind else {
                continue;
            };
            let bytes = self.code_bytes(p.code);
            let pos = p.site.file_offset.saturating_sub(p.code.off) as usize;
            let args = flow::call_args(bytes, p.code.registers, p.code.ins, pos);
            let v = args
                .get(usize::from(uri_arg))
                .copied()
                .unwrap_or(Val::Unknown);
            let local = self.uri_ref_in(p.site.method_idx, v, p.site.file_offset);
            let found = local.or_else(|| match v {
                Val::Field(f) => uri_fields.get(&f).copied(),
                _ => None,
            });
            let Some(r) = found else {
                let reason = self.why_not_pi(v, &p);
                self.dismiss(&p.site, p.callee, reason);
                continue;
            };
            let Some(call) = self.provider_call(&p, r, write, local.is_some()) else {
                continue;
            };
            // The call replaces the bare URI reference of its own method: one site, with
            // the call that reads through it.
            if local.is_some() && consumed.insert(r.use_index) {
                if let Some(slot) = self.out.api_uses.get_mut(r.use_index) {
                    *slot = call;
                }
            } else if self.out.api_uses.len() < MAX_API_USES {
                if local.is_none() {
                    used_elsewhere.insert(r.use_index);
                }
                self.out.graph.api_callers.push(p.site.method_idx);
                self.out.api_uses.push(call);
            }
        }
        used_elsewhere.retain(|i| !consumed.contains(i));
        self.remove_api_uses(&used_elsewhere);
    }

    /// Drop the API uses at `indices`, keeping the call graph's caller list in step. Only
    /// safe once nothing else holds indices into the list (after the flow pass).
    fn remove_api_uses(&mut self, indices: &AHashSet<usize>) {
        if indices.is_empty() {
            return;
        }
        let mut i = 0;
        self.out.api_uses.retain(|_| {
            i += 1;
            !indices.contains(&(i - 1))
        });
        let mut i = 0;
        self.out.graph.api_callers.retain(|_| {
            i += 1;
            !indices.contains(&(i - 1))
        });
    }

    /// The API use of a provider call reading (or writing) the URI of reference `r`.
    fn provider_call(
        &mut self,
        p: &PendingIndirect,
        r: ContentRef,
        write: bool,
        same_method: bool,
    ) -> Option<ApiUse> {
        let reference = self.out.api_uses.get(r.use_index)?;
        let uri = if reference.via == ApiVia::ContentUri {
            reference.string_args.first().cloned().unwrap_or_default()
        } else if reference.access == ApiAccess::FieldRead {
            // `Landroid/provider/CallLog$Calls;->CONTENT_URI` → `android.provider.CallLog$Calls.CONTENT_URI`
            match reference.api.split_once("->") {
                Some((class, field)) => format!("{}.{field}", descriptor_to_java(class)),
                None => reference.api.clone(),
            }
        } else {
            reference.api.clone()
        };
        let category = reference.category;
        // What the method does with the rows (one row by id?) was traced from the reference.
        let flow = if same_method {
            reference.flow.clone()
        } else {
            None
        };
        Some(ApiUse {
            api: self.api_name(p.callee),
            category,
            caller_class: self.class_name(p.site.class_idx),
            caller_method: self.method_name(p.site.method_idx),
            access: if write {
                ApiAccess::Write
            } else {
                ApiAccess::Invoke
            },
            dex: self.dex_name.to_string(),
            offset: p.site.file_offset,
            string_args: vec![uri],
            via: ApiVia::ContentUri,
            party: Party::Unknown,
            flow,
            reachable: None,
            entry_path: Vec::new(),
        })
    }

    /// Why a provider call's URI is not a PI provider's: a platform field or a constant
    /// `content://` string that is not in the table, or a value from elsewhere.
    fn why_not_pi(&self, v: Val, p: &PendingIndirect) -> DismissReason {
        let names_constant = match v {
            Val::Field(f) => self
                .dex
                .field_ref(f)
                .is_ok_and(|r| r.class.starts_with("Landroid/")),
            Val::Str(_) => true,
            Val::Ret(m) if is_uri_builder(self.dex, m) => p.recent[..p.recent_len]
                .iter()
                .filter_map(|&s| self.dex.string_bytes(s).ok())
                .any(|s| s.starts_with(b"content://")),
            _ => false,
        };
        if names_constant {
            DismissReason::UriNotPi
        } else {
            DismissReason::UriUnknown
        }
    }
}
