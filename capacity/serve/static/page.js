// The what-if page: send each edit, show the busy indicator while the server re-plans,
// then swap in the new figures. Plain fetch, no library; everything from this server.
"use strict";

const token = document.body.dataset.token;
let wanted = Number(document.body.dataset.version);
let polling = false;
let drawing = null; // the chart loop that may go on (drawCharts); null stops them all

function displayed() {
  // What the page shows: the serial of the re-plan or first answer in #results.
  const note = document.querySelector("#results [data-serial]");
  return note ? Number(note.dataset.serial) : null;
}

function api(path, options = {}) {
  const headers = Object.assign({ "X-Capacity-Token": token }, options.headers || {});
  return fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
}

function withToken(path) {
  return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

async function fragment(name) {
  const response = await api(withToken("/fragment/" + name));
  return response.text();
}

function unchanged(field) {
  // A box filled in with the current value and left as it was: not sent, so that the
  // what-if keeps that value's source (a recruit's gap, say, when only the start moves).
  return field.tagName === "INPUT" && field.type !== "checkbox" &&
    field.defaultValue !== "" && field.value === field.defaultValue;
}

function editOf(form) {
  const edit = Object.assign({}, form.dataset);
  let typed = 0, changed = 0;
  for (const field of form.elements) {
    if (!field.name) continue;
    const box = field.tagName === "INPUT" && field.type !== "checkbox";
    if (box) typed += 1;
    if (unchanged(field)) continue;
    if (box && field.value !== field.defaultValue) changed += 1;
    edit[field.name] = field.type === "checkbox" ? field.checked : field.value;
  }
  return typed && !changed ? null : edit;
}

function showError(form, field, message) {
  const place = form.querySelector(".error");
  for (const input of form.elements) input.removeAttribute("aria-invalid");
  if (place) place.textContent = message || "";
  const input = field && form.elements[field];
  if (message && input && input.setAttribute) input.setAttribute("aria-invalid", "true");
}

async function changed(response, form) {
  const answer = await response.json();
  if (!answer.ok) {
    setBusy({ busy: false });
    if (form) showError(form, answer.field, answer.message);
    else document.getElementById("open-error").textContent = answer.message;
    poll(); // a re-plan asked for before may still be running
    return;
  }
  document.getElementById("open-error").textContent = "";
  wanted = answer.version;
  poll(); // at once: the first answer may be ready before the controls are redrawn
  document.getElementById("controls").innerHTML = await fragment("controls");
  bind();
}

function checking() {
  // A change is on its way: no more charts of what is shown now (drawing them would hold
  // up the first answer to the change).
  drawing = null;
  setBusy({ busy: true, planning: null, checking: true });
}

async function send(form) {
  showError(form, null, "");
  const edit = editOf(form);
  if (edit === null) {
    showError(form, null, "Nothing changed: type a new value first.");
    return;
  }
  checking();
  const response = await api("/api/edit", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(edit),
  });
  await changed(response, form);
}

function setBusy(status) {
  const busy = document.getElementById("busy");
  const text = document.getElementById("busy-text");
  busy.hidden = !status.busy && !status.error;
  busy.classList.toggle("failed", Boolean(status.error));
  if (status.can_undo !== undefined) document.getElementById("undo").disabled = !status.can_undo;
  // A first answer of the state asked for is current, not stale: only not yet searched.
  const first = status.provisional && status.shown !== null && status.shown >= wanted;
  document.getElementById("results").classList.toggle("stale", status.busy && !first);
  for (const link of document.querySelectorAll("a.download, #save")) {
    link.classList.toggle("disabled", status.busy || Boolean(status.provisional));
  }
  if (status.error) text.textContent = status.error;
  else if (status.checking) text.textContent = "Checking the change…";
  else if (status.planning) {
    const seconds = status.running_seconds ? ` (${status.running_seconds.toFixed(1)} s)` : "";
    const doing = first ? "Searching for better plans" : "Planning";
    text.textContent = `${doing}: ${status.planning_names || status.planning}${seconds}…`;
  } else text.textContent = "Planning…";
}

async function poll() {
  if (polling) return;
  polling = true;
  try {
    for (;;) {
      let status;
      try {
        status = await (await api(withToken("/api/status"))).json();
      } catch (error) {  // the server is busy drawing, or restarting: ask again shortly
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      const current = status.shown !== null && status.shown >= wanted;
      if (!status.busy && !status.provisional && current) {
        // The figures first, then the busy indicator off: what a reader sees then is final.
        if (displayed() !== status.serial) {
          document.getElementById("results").innerHTML = await fragment("results");
        }
        drawCharts(); // those not drawn yet (a change refused stops them too)
        setBusy(status);
        document.getElementById("done").textContent =
          `Re-planned in ${status.last_seconds} s` +
          (status.last_solved.length ? ` (solved ${status.last_solved_names}).` : " (nothing changed).");
        document.body.dataset.shown = String(status.shown);
        return;
      }
      setBusy(status);
      if (status.provisional && current && displayed() !== status.serial) {
        // A first answer, or one with more options' searched plans in.
        document.getElementById("results").innerHTML = await fragment("results");
        document.getElementById("done").textContent = status.error
          ? "" : "First answer shown; searching for better plans.";
      }
      if (status.error) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    polling = false;
  }
}

async function drawCharts() {
  // One option's charts at a time (the server draws them in turn), until the page moves on.
  const results = document.getElementById("results");
  const mine = {};
  drawing = mine;
  for (const place of results.querySelectorAll(".charts.pending[data-charts]")) {
    let response;
    try {
      response = await api(withToken(place.dataset.charts));
    } catch (error) {
      return;
    }
    if (drawing !== mine || !place.isConnected) return; // newer results are on the page
    // 204: the page shows other plans now, whose charts come with them.
    if (response.status === 204) return;
    if (!response.ok) {
      for (const left of results.querySelectorAll(".charts.pending .waiting")) {
        left.textContent = "The charts could not be drawn; the server's log says why.";
      }
      return;
    }
    place.innerHTML = await response.text();
    place.classList.remove("pending");
  }
}

function bind() {
  for (const form of document.querySelectorAll("form.edit")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
    for (const field of form.querySelectorAll("[data-auto]")) {
      field.addEventListener("change", () => send(form));
    }
  }
}

document.getElementById("undo").addEventListener("click", async () => {
  checking();
  await changed(await api("/api/undo", { method: "POST" }), null);
});
document.getElementById("reset").addEventListener("click", async () => {
  checking();
  await changed(await api("/api/reset", { method: "POST" }), null);
});
document.getElementById("open").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  checking();
  const response = await api("/api/open", {
    method: "POST",
    headers: { "X-File-Name": file.name, "Content-Type": "application/octet-stream" },
    body: await file.arrayBuffer(),
  });
  event.target.value = "";
  await changed(response, null);
});

bind();
poll(); // and the charts of what is shown, once it is final
