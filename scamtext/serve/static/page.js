// The analyst's page: classify and explain a message, show the advice, report a case.
// Plain JavaScript, no build step, no network beyond this service.
"use strict";

const TEXT = {
  zh: {
    subtitle: "诈骗消息分析", paste: "粘贴一条短信或聊天消息", analyse: "分析",
    upload: "或上传文件（.txt 每行一条，或 .jsonl 含 text 字段）", batch: "文件结果",
    label: "标签", probability: "概率", message: "消息", evidence: "证据",
    towards: "支持该标签", against: "反对该标签", stronger: "颜色越深，证据越强",
    probabilities: "各标签概率", cues: "诈骗线索", report: "报告为案例", correct: "正确标签",
    newlabel: "或新标签", source: "来源", send: "提交",
    hotline: "遇到诈骗请拨打 96110 · 国家反诈中心 App", lang: "English",
    scam: "诈骗", notScam: "不是诈骗", empty: "请先粘贴一条消息。",
    stored: (c) => `已保存案例 ${c.id}（标签 ${c.label}，第 ${c.reports} 次报告）：${c.text}`,
    rows: (n, s) => `${n} 条消息，其中 ${s} 条疑似诈骗。点击一行查看详情。`,
    model: (m) => `模型 ${m.version}（${m.kind}）`,
    badLine: (n) => `第 ${n} 行不是含 text 字段的 JSON 对象`,
    advice: "提示", probOf: (p) => `概率 ${p}`,
  },
  en: {
    subtitle: "scam message analysis", paste: "Paste a text or chat message", analyse: "Analyse",
    upload: "or upload a file (.txt, one message a line, or .jsonl with a text field)",
    batch: "File results", label: "Label", probability: "Probability", message: "Message",
    evidence: "Evidence", towards: "towards the label", against: "against it",
    stronger: "stronger colour, stronger evidence", probabilities: "Probability of each label",
    cues: "Scam cues", report: "Report as a case", correct: "Correct label",
    newlabel: "or a new label", source: "Source", send: "Report",
    hotline: "Scammed? Call 96110 · National Anti-Fraud Center app", lang: "中文",
    scam: "scam", notScam: "not a scam", empty: "Paste a message first.",
    stored: (c) => `Stored case ${c.id} (label ${c.label}, reported ${c.reports}×): ${c.text}`,
    rows: (n, s) => `${n} messages, ${s} of them likely scams. Click a row for details.`,
    model: (m) => `model ${m.version} (${m.kind})`,
    badLine: (n) => `line ${n} is not a JSON object with a text field`,
    advice: "Advice", probOf: (p) => `probability ${p}`,
  },
};

const $ = (id) => document.getElementById(id);
const state = {
  lang: (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en",
  labels: [], last: null,
};

function t(key, ...args) {
  const value = TEXT[state.lang][key];
  return typeof value === "function" ? value(...args) : value;
}

function labelName(id) {
  const info = state.labels.find((l) => l.id === id);
  if (state.lang === "zh" && info && info.name_zh) return `${info.name_zh} ${id}`;
  return id;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.detail || `HTTP ${response.status}`);
  return data;
}

function showError(error) {
  $("error").textContent = error ? String(error.message || error) : "";
  $("error").hidden = !error;
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang").textContent = t("lang");
  $("lang").lang = state.lang === "zh" ? "en" : "zh";
  if (state.model) $("model").textContent = t("model", state.model);
  fillLabelChoices();
  if (state.last) render(state.last);
}

function fillLabelChoices() {
  const select = $("report-label");
  const chosen = select.value;
  select.replaceChildren(...state.labels.map((l) => el("option", { value: l.id, textContent: labelName(l.id) })));
  if (chosen) select.value = chosen;
}

// Evidence offsets count Unicode code points (Python's str), not UTF-16 units.
function marked(text, evidence) {
  const chars = Array.from(text);
  const strongest = Math.max(0, ...evidence.map((e) => Math.abs(e.weight)));
  const out = [];
  let position = 0;
  for (const ev of [...evidence].sort((a, b) => a.start - b.start)) {
    if (ev.start < position) continue;
    if (ev.start > position) out.push(chars.slice(position, ev.start).join(""));
    const strength = strongest ? Math.min(1, Math.abs(ev.weight) / strongest) : 0;
    const colour = ev.weight > 0 ? "var(--towards)" : "var(--against)";
    const mark = el("mark", { textContent: chars.slice(ev.start, ev.end).join(""), title: ev.weight.toFixed(3) });
    mark.className = ev.weight > 0 ? "towards" : "against";
    mark.style.background = `rgba(${colour}, ${(0.15 + 0.75 * strength).toFixed(2)})`;
    out.push(mark);
    position = ev.end;
  }
  if (position < chars.length) out.push(chars.slice(position).join(""));
  return out;
}

function render({ explanation, result }) {
  const scam = result.is_scam;
  const verdict = $("verdict");
  verdict.className = scam ? "scam" : "safe";
  verdict.textContent = `${labelName(result.label)} · ${scam ? t("scam") : t("notScam")} · ` +
    t("probOf", result.score.toFixed(3));
  verdict.dataset.label = result.label;

  const advice = $("advice");
  advice.hidden = !result.advice;
  if (result.advice) {
    const first = state.lang === "zh" ? ["zh", "en"] : ["en", "zh"];
    advice.replaceChildren(el("strong", { textContent: t("advice") }),
      ...first.map((lang) => el("p", { lang, textContent: result.advice[lang] })));
  }

  $("marked").replaceChildren(...marked(explanation.text, explanation.evidence));

  const rows = Object.entries(result.probabilities).sort((a, b) => b[1] - a[1]);
  $("bars").replaceChildren(...rows.map(([label, p]) => {
    const row = el("div", {},
      el("span", { textContent: labelName(label) }),
      el("div", { className: "track" }, el("div", { className: "fill" })),
      el("span", { className: "value", textContent: p.toFixed(3) }));
    row.className = `bar${label === "normal" ? " normal" : ""}${label === result.label ? " top" : ""}`;
    row.dataset.label = label;
    row.querySelector(".fill").style.width = `${(100 * p).toFixed(1)}%`;
    return row;
  }));

  $("cues-block").hidden = explanation.cues.length === 0;
  $("cues").replaceChildren(...explanation.cues.map((c) =>
    el("li", { textContent: state.lang === "zh" ? `${c.zh} / ${c.en}` : `${c.en} / ${c.zh}` })));
  $("result").hidden = false;
}

async function analyse(text) {
  if (!text.trim()) { showError(t("empty")); return; }
  showError(null);
  $("analyse").disabled = true;
  try {
    const [explanation, classified] = await Promise.all([
      call("POST", "/v1/explain", { text, top_k: 10 }),
      call("POST", "/v1/classify", { messages: [{ text }] }),
    ]);
    state.last = { explanation, result: classified.results[0] };
    $("report-label").value = state.last.result.label;
    $("report-status").textContent = "";
    render(state.last);
  } catch (error) {
    showError(error);
  } finally {
    $("analyse").disabled = false;
  }
}

function messagesOf(name, content) {
  const lines = content.split(/\r?\n/);
  if (!/\.(jsonl|ndjson)$/i.test(name)) return lines.filter((line) => line.trim());
  const texts = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let record;
    try { record = JSON.parse(line); } catch { record = null; }
    if (!record || typeof record.text !== "string") throw new Error(t("badLine", i + 1));
    texts.push(record.text);
  });
  return texts;
}

async function classifyFile(file) {
  showError(null);
  try {
    const texts = messagesOf(file.name, await file.text());
    const results = [];
    for (let i = 0; i < texts.length; i += 500) {
      const chunk = texts.slice(i, i + 500).map((text) => ({ text }));
      results.push(...(await call("POST", "/v1/classify", { messages: chunk })).results);
    }
    $("batch-summary").textContent = t("rows", results.length, results.filter((r) => r.is_scam).length);
    $("batch-rows").replaceChildren(...results.map((r, i) => {
      const row = el("tr", {},
        el("td", { textContent: String(i + 1) }),
        el("td", { textContent: labelName(r.label), className: r.is_scam ? "scam" : "safe" }),
        el("td", { textContent: r.score.toFixed(3) }),
        el("td", { textContent: r.text }));
      row.addEventListener("click", () => { $("message").value = r.text; analyse(r.text); });
      return row;
    }));
    $("batch").hidden = false;
  } catch (error) {
    showError(error);
  }
}

async function report(event) {
  event.preventDefault();
  if (!state.last) return;
  const fresh = $("report-new").value.trim();
  const body = {
    text: state.last.explanation.text,
    label: fresh || $("report-label").value,
    source: $("report-source").value || "analyst-page",
    new_label: Boolean(fresh),
  };
  try {
    const stored = await call("POST", "/v1/cases", body);
    $("report-status").className = "";
    $("report-status").textContent = t("stored", stored);
  } catch (error) {
    $("report-status").className = "error";
    $("report-status").textContent = String(error.message || error);
  }
}

async function start() {
  $("analyse").addEventListener("click", () => analyse($("message").value));
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) analyse($("message").value);
  });
  $("file").addEventListener("change", (event) => {
    if (event.target.files.length) classifyFile(event.target.files[0]);
  });
  $("report").addEventListener("submit", report);
  $("lang").addEventListener("click", () => { state.lang = state.lang === "zh" ? "en" : "zh"; applyLanguage(); });
  try {
    state.model = await call("GET", "/v1/models");
    state.labels = state.model.labels;
  } catch (error) {
    showError(error);
  }
  applyLanguage();
  document.body.dataset.ready = "true";
}

start();
