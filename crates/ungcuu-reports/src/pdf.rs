//! PDF through typst. The templates are `.typ` files compiled into the binary; the data goes in
//! as one JSON document (`sys.inputs.data`, bytes decoded by typst's `json()`), so no user text
//! ever becomes typst source. There is no package resolver: `@preview` imports fail.

use serde::Serialize;
use typst::foundations::{Bytes, Dict, IntoValue};
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_layout::PagedDocument;

use crate::Error;
use crate::model::{Mau03, Mau04, Mau05};
use crate::view::{Form, HeaderView, Mau03View, Mau04View, Mau05View};

const COMMON: &str = include_str!("../templates/common.typ");
const MAU03: &str = include_str!("../templates/mau03.typ");
const MAU04: &str = include_str!("../templates/mau04.typ");
const MAU05: &str = include_str!("../templates/mau05.typ");

/// Where the PDF renderer takes its fonts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontSource {
    /// System fonts (Liberation Serif, Noto Serif … from /usr/share/fonts) first, then the
    /// fonts embedded in the binary (New Computer Modern): the default.
    SystemThenEmbedded,
    /// Only the embedded fonts: the same output on every machine.
    EmbeddedOnly,
}

/// Compiles the report templates; build it once and reuse it (the font scan and the parsed
/// templates are kept). Safe to share between threads.
pub struct PdfRenderer {
    engine: TypstEngine,
}

#[derive(Serialize)]
struct Input<'a, F: Serialize, V: Serialize> {
    header: HeaderView<'a>,
    form: &'a F,
    view: V,
}

impl PdfRenderer {
    pub fn new() -> Self {
        Self::with_fonts(FontSource::SystemThenEmbedded)
    }

    pub fn with_fonts(source: FontSource) -> Self {
        let fonts = TypstKitFontOptions::new()
            .include_system_fonts(source == FontSource::SystemThenEmbedded)
            .include_embedded_fonts(true);
        let engine = TypstEngine::builder()
            .search_fonts_with(fonts)
            .with_static_source_file_resolver([
                ("common.typ", COMMON),
                ("mau03.typ", MAU03),
                ("mau04.typ", MAU04),
                ("mau05.typ", MAU05),
            ])
            .comemo_evict_max_age(Some(10))
            .build();
        Self { engine }
    }

    pub fn mau03(&self, form: &Mau03) -> Result<Vec<u8>, Error> {
        self.render(
            "mau03.typ",
            &Input {
                header: HeaderView::new(&form.header, Form::Mau03),
                form,
                view: Mau03View::new(form),
            },
        )
    }

    pub fn mau04(&self, form: &Mau04) -> Result<Vec<u8>, Error> {
        self.render(
            "mau04.typ",
            &Input {
                header: HeaderView::new(&form.header, Form::Mau04),
                form,
                view: Mau04View::new(form),
            },
        )
    }

    pub fn mau05(&self, form: &Mau05) -> Result<Vec<u8>, Error> {
        self.render(
            "mau05.typ",
            &Input {
                header: HeaderView::new(&form.header, Form::Mau05),
                form,
                view: Mau05View::new(form),
            },
        )
    }

    fn render(&self, template: &str, input: &impl Serialize) -> Result<Vec<u8>, Error> {
        let json = serde_json::to_vec(input).map_err(|e| Error::Data(e.to_string()))?;
        let mut inputs = Dict::new();
        inputs.insert("data".into(), Bytes::new(json).into_value());
        let doc: PagedDocument = self
            .engine
            .compile_with_input(template, inputs)
            .output
            .map_err(|e| Error::Typst(e.to_string()))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|diags| {
            Error::Typst(
                diags
                    .iter()
                    .map(|d| d.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }
}

impl Default for PdfRenderer {
    fn default() -> Self {
        Self::new()
    }
}
