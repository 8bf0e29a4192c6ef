//! Writes the sample reports into a folder: `cargo run -p ungcuu-reports --example render -- DIR`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "reports-out".into());
    std::fs::create_dir_all(&dir)?;
    let r = ungcuu_reports::PdfRenderer::new();
    let s = ungcuu_reports::sample::mau03();
    std::fs::write(format!("{dir}/mau03.pdf"), r.mau03(&s)?)?;
    std::fs::write(
        format!("{dir}/mau03.docx"),
        ungcuu_reports::docx::mau03(&s)?,
    )?;
    let s = ungcuu_reports::sample::mau04();
    std::fs::write(format!("{dir}/mau04.pdf"), r.mau04(&s)?)?;
    std::fs::write(
        format!("{dir}/mau04.docx"),
        ungcuu_reports::docx::mau04(&s)?,
    )?;
    let s = ungcuu_reports::sample::mau05();
    std::fs::write(format!("{dir}/mau05.pdf"), r.mau05(&s)?)?;
    std::fs::write(
        format!("{dir}/mau05.docx"),
        ungcuu_reports::docx::mau05(&s)?,
    )?;
    println!("written to {dir}");
    Ok(())
}
