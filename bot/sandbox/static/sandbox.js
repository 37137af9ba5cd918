// The sandbox page: draws what the server's /api/state says and turns clicks into its JSON calls.
// Plain JavaScript, no build step; every word shown comes translated from /api/labels.
"use strict";

const page = {
  language: readCookie("lang") || "uk",
  labels: {},
  version: null,
  state: null,
  seenToasts: new Set(),
  orderTouched: false,
  orderFor: "customer",
  atBottom: { customer: true, managers: true }, // follow the newest message, as a chat app does
  followedTo: { customer: Infinity, managers: Infinity }, // where the page last scrolled each chat to
  replyTo: { customer: null, managers: null }, // the message each chat's input replies to
  seenPrompts: new Set(), // the bot's questions that already opened the reply field once
  phoneMessages: 0, // how many the phone panel showed: it scrolls to a new one
};

function readCookie(name) {
  const found = document.cookie.split("; ").find((item) => item.startsWith(name + "="));
  return found ? decodeURIComponent(found.split("=")[1]) : null;
}

function label(key, values = {}) {
  let text = page.labels[key] || key;
  for (const [name, value] of Object.entries(values)) text = text.replace(`{${name}}`, value);
  return text;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name === "html") node.innerHTML = value; // only server-rendered, escaped message HTML
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// -- talking to the server --------------------------------------------------------------------------
// The token this run of the sandbox put in the page: without it the server refuses every change.
const PAGE_TOKEN = document.querySelector('meta[name="sandbox-token"]').content;

async function call(path, body, options = {}) {
  const init = { method: "POST", headers: { "X-Sandbox-Token": PAGE_TOKEN } };
  if (body instanceof FormData) init.body = body;
  else {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body || {});
  }
  // Whoever acts in a chat wants to see what follows there.
  const chat = path === "/api/open-link" ? ["", "customer"] : path.match(/^\/api\/chats\/(customer|managers)\//);
  if (chat) page.atBottom[chat[1]] = true;
  let response;
  try {
    response = await fetch(`${path}?lang=${page.language}`, init);
  } catch (error) {
    showError(label("error_failed"));
    return null;
  }
  const answer = await response.json().catch(() => ({}));
  if (answer.error && !options.quiet) showError(answer.error.message);
  else if (answer.message) showError(answer.message); // the shop API refused: why, in words
  else hideError();
  return { status: response.status, ...answer };
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = false;
}

function hideError() {
  document.getElementById("error").hidden = true;
}

async function loadLabels(language) {
  const response = await fetch(`/api/labels?lang=${language}`);
  const answer = await response.json();
  page.language = answer.language;
  page.labels = answer.labels;
  document.cookie = `lang=${page.language}; path=/; SameSite=Strict`;
  document.documentElement.lang = page.language;
  document.title = label("title");
  document.getElementById("page-language").value = page.language;
  for (const node of document.querySelectorAll("[data-label]")) node.textContent = label(node.dataset.label);
  for (const node of document.querySelectorAll("[data-label-title]")) node.title = label(node.dataset.labelTitle);
  for (const node of document.querySelectorAll(".attach")) node.title = label("photo");
  if (page.state) render(page.state);
}

async function poll() {
  let pause = 500;
  for (;;) {
    const query = page.version ? `?version=${page.version}` : "";
    try {
      const response = await fetch(`/api/state${query}`);
      if (!response.ok) throw new Error(String(response.status));
      const state = await response.json();
      // Pop-ups shown before this page was (re)loaded are old news: never replay them.
      if (!page.state) for (const chat of [state.customer, state.managers]) markToastsSeen(chat);
      page.version = state.version;
      page.state = state;
      render(state);
      pause = 500;
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 5000); // the sandbox restarts or stops: try again, gently
    }
  }
}

// -- drawing ------------------------------------------------------------------------------------------
function render(state) {
  document.getElementById("clock").textContent = state.clock;
  renderChat("customer", state.customer);
  renderChat("managers", state.managers);
  const customer = document.getElementById("chat-customer");
  customer.querySelector(".who").textContent = `${state.customer.name} ${state.customer.phone}`;
  customer.querySelector(".not-started").hidden = state.customer.started;
  customer.querySelector(".composer").hidden = !state.customer.started;
  renderReplyKeyboard(state.customer);
  document.querySelector("#chat-managers .as-manager").textContent = label("as_manager", {
    name: state.managers.as,
  });
  renderPhone(state.phone);
  renderShop(state.shop);
  renderViolations(state.violations);
}

function markToastsSeen(chat) {
  for (const toast of chat.toasts) page.seenToasts.add(toast.id);
}

function renderChat(name, chat) {
  const section = document.getElementById(`chat-${name}`);
  const select = section.querySelector(".chat-language");
  if (document.activeElement !== select) select.value = chat.language || "uk";
  const box = section.querySelector(".messages");
  box.replaceChildren(...chat.messages.map((message) => renderMessage(name, message)));
  if (page.atBottom[name]) scrollToNewest(name);
  for (const image of box.querySelectorAll("img")) {
    // A picture grows the chat once it has loaded: still follow the newest message then.
    if (!image.complete) image.addEventListener("load", () => { if (page.atBottom[name]) scrollToNewest(name); });
  }
  openPromptedReply(name, chat.messages);
  const replying = page.replyTo[name];
  if (replying && !chat.messages.some((message) => message.id === replying.id)) page.replyTo[name] = null;
  renderReplying(name);
  for (const toast of chat.toasts) {
    if (page.seenToasts.has(toast.id)) continue;
    page.seenToasts.add(toast.id);
    showToast(section, toast);
  }
}

function scrollToNewest(chatName) {
  const box = document.querySelector(`#chat-${chatName} .messages`);
  box.scrollTop = box.scrollHeight;
  page.followedTo[chatName] = box.scrollTop;
}

function renderMessage(chatName, message) {
  const bubble = el("div", {
    class: `message ${message.from_bot ? "from-bot" : "from-user"}`,
    "data-message-id": message.id,
  });
  if (message.unseen) bubble.classList.add("unseen");
  bubble.append(el("button", {
    type: "button",
    class: "reply-button",
    title: label("reply"),
    "aria-label": label("reply"),
    onclick: () => startReply(chatName, message),
  }, "↩"));
  if (!message.from_bot && chatName === "managers") bubble.append(el("div", { class: "sender" }, message.sender));
  if (message.quote) {
    bubble.append(el("div", { class: "quote", onclick: () => showMessage(chatName, message.quote.id) },
      el("strong", {}, message.quote.sender),
      message.quote.text || (message.quote.photo ? label("photo") : "…")));
  }
  if (message.photo) bubble.append(el("img", { src: `/api/files/${encodeURIComponent(message.photo)}`, alt: label("photo") }));
  if (message.contact) bubble.append(el("div", {}, `👤 ${label("contact")}: ${message.contact.name} ${message.contact.phone}`));
  if (message.sticker) bubble.append(el("div", { class: "sticker" }, message.sticker));
  if (message.html) bubble.append(el("div", { class: "text", html: message.html }));
  if (message.unseen) bubble.append(el("div", { class: "unseen-note", title: label("unseen_why") }, `🙈 ${label("unseen")}`));
  bubble.append(el("div", { class: "meta" }, (message.edited ? label("edited") + " · " : "") + message.time));
  if (!message.buttons.length) return bubble;
  const wrapper = el("div", { class: "message-with-keyboard" }, bubble);
  const keyboard = el("div", { class: "inline-keyboard" });
  message.buttons.forEach((row, rowIndex) => {
    const line = el("div", { class: "row" });
    row.forEach((button, columnIndex) => {
      line.append(
        el("button", {
          type: "button",
          class: button.kind,
          onclick: () => pressButton(chatName, message.id, rowIndex, columnIndex, button),
        }, button.text),
      );
    });
    keyboard.append(line);
  });
  wrapper.append(keyboard);
  return wrapper;
}

// -- replying, as in Telegram: the next text goes as a reply to the chosen message -------------------
function quoteOf(message) {
  const text = (message.html ? htmlToText(message.html) : "") || (message.photo ? label("photo") : "…");
  return { id: message.id, sender: message.sender, text, placeholder: message.force_reply || "" };
}

function htmlToText(html) {
  const node = document.createElement("div");
  node.innerHTML = html; // server-rendered and escaped; only read back as text
  return node.textContent.replace(/\s+/g, " ").trim();
}

function startReply(chatName, message) {
  page.replyTo[chatName] = quoteOf(message);
  renderReplying(chatName);
  document.querySelector(`#chat-${chatName} .composer input[type=text]`).focus();
}

function cancelReply(chatName) {
  page.replyTo[chatName] = null;
  renderReplying(chatName);
}

function renderReplying(chatName) {
  const section = document.getElementById(`chat-${chatName}`);
  const bar = section.querySelector(".replying");
  const input = section.querySelector(".composer input[type=text]");
  if (!("placeholder" in input.dataset)) input.dataset.placeholder = input.placeholder;
  const replying = page.replyTo[chatName];
  bar.hidden = !replying;
  if (!replying) {
    input.placeholder = input.dataset.placeholder;
    return;
  }
  bar.querySelector(".replying-text").textContent =
    `↩ ${label("replying_to", { name: replying.sender })}: ${replying.text}`;
  input.placeholder = replying.placeholder || label("reply");
}

// A question of the bot with force_reply opens the reply field once, as Telegram clients do.
function openPromptedReply(chatName, messages) {
  const prompts = messages.filter((message) => message.force_reply !== undefined);
  const fresh = prompts.filter((message) => !page.seenPrompts.has(`${chatName}:${message.id}`));
  for (const message of fresh) page.seenPrompts.add(`${chatName}:${message.id}`);
  if (fresh.length) page.replyTo[chatName] = quoteOf(fresh[fresh.length - 1]);
}

function showMessage(chatName, messageId) {
  const node = document.querySelector(`#chat-${chatName} .message[data-message-id="${messageId}"]`);
  if (!node) return;
  node.scrollIntoView({ block: "center" });
  node.classList.add("flash");
  setTimeout(() => node.classList.remove("flash"), 1200);
}

function showToast(section, toast) {
  const box = section.querySelector(".toast");
  box.textContent = toast.text;
  box.classList.toggle("alert", toast.alert);
  box.hidden = false;
  clearTimeout(box.timer);
  box.timer = setTimeout(() => { box.hidden = true; }, toast.alert ? 6000 : 3000);
}

function renderReplyKeyboard(customer) {
  const box = document.querySelector("#chat-customer .reply-keyboard");
  if (!customer.keyboard || !customer.started) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(...customer.keyboard.map((row) => el("div", { class: "row" },
    ...row.map((button) => el("button", {
      type: "button",
      onclick: () => button.contact
        ? call("/api/chats/customer/contact")
        : call("/api/chats/customer/tap", { text: button.text }),
    }, button.text)))));  // the bot's own words (its contact button has its 📱 already)
}

// -- the phones: the Viber messages and SMS of customers the bot cannot reach in Telegram ------------
function renderPhone(phone) {
  const section = document.getElementById("phone");
  section.querySelector(".phone-off").hidden = phone.on;
  const box = section.querySelector(".phones");
  const count = phone.phones.reduce((sum, one) => sum + one.messages.length, 0);
  if (!count) {
    box.replaceChildren(el("p", { class: "none" }, label("no_phone_messages")));
    return;
  }
  box.replaceChildren(...phone.phones.map((one) => el("div", { class: "handset", "data-phone": one.phone },
    el("div", { class: "handset-head" }, el("strong", {}, one.name || one.phone), one.name ? ` ${one.phone}` : null),
    ...one.messages.map(renderPhoneMessage))));
  if (count !== page.phoneMessages) box.scrollTop = box.scrollHeight; // a new one: show it
  page.phoneMessages = count;
}

function renderPhoneMessage(message) {
  const bubble = el("div", { class: `phone-message ${message.channel}`, "data-message-id": message.id },
    el("div", { class: "phone-sender" },
      el("span", { class: "badge" }, label(message.channel === "viber" ? "by_viber" : "by_sms")), ` ${message.sender}`),
    el("div", { class: "text", html: message.html })); // server-rendered: escaped, links to http(s) only
  if (message.button) {
    bubble.append(el("a", {
      class: "viber-button",
      href: message.button.url, // http(s) only, checked by the server
      target: "_blank",
      rel: "noopener noreferrer",
    }, message.button.text));
  }
  bubble.append(el("div", { class: "meta" }, message.time));
  return bubble;
}

function renderShop(shop) {
  const linkBox = document.getElementById("order-link");
  linkBox.replaceChildren();
  if (shop.link) {
    const link = shop.link;
    linkBox.append(el("button", {
      type: "button",
      id: "open-link",
      onclick: () => call("/api/open-link", { url: link }),
    }, `📲 ${label("open_link")}`));
  }
  const textarea = document.getElementById("order-json");
  if (!page.orderTouched && document.activeElement !== textarea) {
    textarea.value = JSON.stringify(shop.examples[page.orderFor], null, 2);
  }
  const orders = document.getElementById("orders");
  if (!shop.orders.length) orders.replaceChildren(el("li", {}, label("no_orders")));
  else orders.replaceChildren(...shop.orders.map((order) => el("li", {},
    el("strong", {}, order.external_id),
    ...[["ship", "ship"], ["arrived", "arrived"], ["received", "received"], ["refused", "refused"]].map(
      ([action, key]) => el("button", {
        type: "button",
        "data-action": action,
        "data-order": order.external_id,
        onclick: () => call(`/api/shop/orders/${encodeURIComponent(order.external_id)}/${action}`),
      }, label(key))),
    order.waybill ? el("span", { class: "waybill" }, `Nova Poshta ${order.waybill}`) : null)));
  const log = document.getElementById("shop-log");
  log.replaceChildren(...shop.entries.slice().reverse().map((entry) => el("li", {},
    el("span", { class: "seq" }, `${entry.seq}.`), " ",
    el("span", { class: `status ${entry.ok ? "good" : "bad"}` }, String(entry.status ?? "—")), " ",
    entry.kind === "webhook" ? `⇦ ${label("webhook")} ` : "⇨ ",
    el("code", {}, entry.title),
    el("details", {}, el("summary", {}, entry.at),
      el("pre", {}, JSON.stringify(entry.body, null, 2))))));
}

function renderViolations(violations) {
  const section = document.getElementById("violations");
  section.querySelector(".none").hidden = violations.length > 0;
  section.querySelector("ol").replaceChildren(...violations.map((item) => el("li", {},
    el("strong", {}, `${item.method} → ${item.status}: ${item.description}`), " ",
    el("code", {}, item.params))));
}

// -- acting -------------------------------------------------------------------------------------------
async function pressButton(chatName, messageId, row, column, button) {
  if (button.kind === "url") {
    const opened = await call("/api/open-link", { url: button.url }, { quiet: true });
    if (opened && opened.error) window.open(button.url, "_blank", "noopener");
    return;
  }
  await call(`/api/chats/${chatName}/press`, { message_id: messageId, row, column });
}

function wireChat(name) {
  const section = document.getElementById(`chat-${name}`);
  const box = section.querySelector(".messages");
  box.addEventListener("scroll", () => {
    // The page's own scroll, reported after a picture below already grew the chat, is not the
    // reader leaving the newest message: only a scroll up from where the page put it is.
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    page.atBottom[name] = nearBottom || box.scrollTop >= page.followedTo[name];
    if (!page.atBottom[name]) page.followedTo[name] = Infinity; // until the page follows again
  });
  const form = section.querySelector(".composer");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector("input[type=text]");
    const replying = page.replyTo[name];
    const body = replying ? { text: input.value, reply_to: replying.id } : { text: input.value };
    const answer = await call(`/api/chats/${name}/text`, body);
    if (answer && answer.ok) {
      input.value = "";
      cancelReply(name);
    }
  });
  form.querySelector("input[type=text]").addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancelReply(name);
  });
  section.querySelector(".cancel-reply").addEventListener("click", () => cancelReply(name));
  const file = form.querySelector("input[type=file]");
  file.addEventListener("change", async () => {
    const caption = form.querySelector("input[type=text]");
    const picked = [...file.files];
    // Several go as albums of up to 10, as Telegram sends them; the caption with the first.
    for (let start = 0; start < picked.length; start += 10) {
      const data = new FormData();
      for (const one of picked.slice(start, start + 10)) data.append("file", one);
      if (caption.value) data.append("caption", caption.value);
      const answer = await call(`/api/chats/${name}/photo`, data);
      if (!answer || !answer.ok) break;
      caption.value = "";
    }
    file.value = "";
  });
  const share = section.querySelector(".share-contact");
  if (share) share.addEventListener("click", () => call(`/api/chats/${name}/contact`));
  section.querySelector(".chat-language").addEventListener("change", (event) =>
    call(`/api/chats/${name}/language`, { language: event.target.value }));
}

function wireShop() {
  const textarea = document.getElementById("order-json");
  textarea.addEventListener("input", () => { page.orderTouched = true; });
  document.getElementById("order-for").addEventListener("change", (event) => {
    page.orderFor = event.target.value;
    page.orderTouched = false;
    if (page.state) renderShop(page.state.shop);
  });
  document.getElementById("order-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await call("/api/shop/orders", { order: textarea.value });
    const box = document.getElementById("order-answer");
    box.replaceChildren();
    if (!answer || answer.error) return;
    const created = answer.status === 200 || answer.status === 201;
    box.className = created ? "" : "bad";
    if (created) {
      page.orderTouched = false;
      if (page.state) renderShop(page.state.shop);
    } else {
      box.append(el("pre", {}, JSON.stringify(answer.answer, null, 2)));
    }
  });
}

function wirePage() {
  document.getElementById("page-language").addEventListener("change", (event) => loadLabels(event.target.value));
  for (const button of document.querySelectorAll("[data-minutes]")) {
    button.addEventListener("click", () => call("/api/clock", { minutes: Number(button.dataset.minutes) }));
  }
  document.querySelector("#chat-customer .start").addEventListener("click", () => call("/api/chats/customer/start"));
  wireChat("customer");
  wireChat("managers");
  wireShop();
}

wirePage();
loadLabels(page.language).then(poll);
