// The quick report's "use my position": fills the hidden latitude and longitude fields of the form, and says
// in the status next to the button whether it worked (a refused permission or no fix is said, not swallowed).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-locate]");
  if (!button) return;
  const status = document.querySelector("[data-locate-status]");
  const say = (text, ok) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", !ok);
  };
  if (!navigator.geolocation) {
    say(button.dataset.locateFailed, false);
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (position) => {
      document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
      button.classList.replace("btn-outline-secondary", "btn-success");
      say(button.dataset.locateDone, true);
      document.dispatchEvent(new Event("gr:located")); // the map to place the report moves its mark

    },
    () => say(button.dataset.locateFailed, false),
    { timeout: 15000 },
  );
});
