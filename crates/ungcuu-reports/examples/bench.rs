//! Render times of the reports: `cargo run --release -p ungcuu-reports --example bench [RUNS]`.
//!
//! One `PdfRenderer` (font scan, parsed templates) is built before timing and reused, as the
//! server keeps one. Each figure is the median of RUNS renders after three warm-up renders; every
//! render gets different text (the run number in the description or proposals), so typst's
//! memoisation cannot replay a previous layout, as with real reports. "Same data" figures show
//! the memoised case. The baseline serialises the same Mẫu 05 to JSON.

use std::time::{Duration, Instant};

use ungcuu_reports::{PdfRenderer, docx, sample};

fn median<T>(runs: usize, mut f: impl FnMut(usize) -> T) -> Duration {
    for i in 0..3 {
        std::hint::black_box(f(1_000_000 + i));
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|i| {
            let start = Instant::now();
            std::hint::black_box(f(i));
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
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

    let m3_at = |i: usize| {
        let mut f = m3.clone();
        f.description = format!("{} (lần {i})", f.description);
        f
    };
    let m5_at = |i: usize| {
        let mut f = m5.clone();
        f.proposals = format!("{} (lần {i})", f.proposals);
        f.rows[0].count += i as u32 % 7;
        f
    };

    let first = Instant::now();
    renderer.mau03(&m3_at(usize::MAX)).unwrap();
    let first = first.elapsed();
    let json = median(runs, |_| serde_json::to_vec(&m5).unwrap());
    let m3_pdf = median(runs, |i| renderer.mau03(&m3_at(i)).unwrap());
    let m5_pdf = median(runs, |i| renderer.mau05(&m5_at(i)).unwrap());
    let m3_same = median(runs, |_| renderer.mau03(&m3).unwrap());
    let m5_same = median(runs, |_| renderer.mau05(&m5).unwrap());
    let m3_docx = median(runs, |i| docx::mau03(&m3_at(i)).unwrap());
    let m5_docx = median(runs, |i| docx::mau05(&m5_at(i)).unwrap());

    println!("renderer setup (font scan, once): {}", ms(setup));
    println!("first Mẫu 03 PDF after setup:     {}", ms(first));
    println!("median of {runs} runs after 3 warm-ups:");
    println!("  baseline: Mẫu 05 to JSON        {}", ms(json));
    println!("  Mẫu 03 PDF                      {}", ms(m3_pdf));
    println!("  Mẫu 05 PDF (table and chart)    {}", ms(m5_pdf));
    println!("  Mẫu 03 PDF, same data each run  {}", ms(m3_same));
    println!("  Mẫu 05 PDF, same data each run  {}", ms(m5_same));
    println!("  Mẫu 03 DOCX                     {}", ms(m3_docx));
    println!("  Mẫu 05 DOCX                     {}", ms(m5_docx));
}
