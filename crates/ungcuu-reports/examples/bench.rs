//! Render times of the reports: `cargo run --release -p ungcuu-reports --example bench [RUNS]`.
//!
//! One `PdfRenderer` (font scan, parsed templates) is built before timing and reused, as the
//! server keeps one. Each figure is the median of RUNS renders after three warm-up renders; the
//! baseline serialises the same Mẫu 05 to JSON, the cheapest thing any export must do.

use std::time::{Duration, Instant};

use ungcuu_reports::{PdfRenderer, docx, sample};

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    for _ in 0..3 {
        std::hint::black_box(f());
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    let start = Instant::now();
    let renderer = PdfRenderer::new();
    let setup = start.elapsed();
    let m3 = sample::mau03();
    let m5 = sample::mau05();

    let json = median(runs, || serde_json::to_vec(&m5).unwrap());
    let m3_pdf = median(runs, || renderer.mau03(&m3).unwrap());
    let m5_pdf = median(runs, || renderer.mau05(&m5).unwrap());
    let m5_docx = median(runs, || docx::mau05(&m5).unwrap());
    let m3_docx = median(runs, || docx::mau03(&m3).unwrap());

    println!("renderer setup (font scan, once): {}", ms(setup));
    println!("median of {runs} runs after 3 warm-ups:");
    println!("  baseline: Mẫu 05 to JSON        {}", ms(json));
    println!("  Mẫu 03 PDF                      {}", ms(m3_pdf));
    println!("  Mẫu 05 PDF (table and chart)    {}", ms(m5_pdf));
    println!("  Mẫu 03 DOCX                     {}", ms(m3_docx));
    println!("  Mẫu 05 DOCX                     {}", ms(m5_docx));
}
