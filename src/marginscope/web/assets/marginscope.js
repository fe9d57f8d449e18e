// A header menu (<details class="ms-menu">) closes on a click outside it, on a choice in it and on Escape,
// as menus do; a native <details> stays open until its own summary is clicked again.
document.addEventListener("click", (event) => {
    for (const menu of document.querySelectorAll("details.ms-menu[open]")) {
        const inside = menu.contains(event.target);
        if (!inside || event.target.closest(".ms-menu-items a")) menu.removeAttribute("open");
    }
});
document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of document.querySelectorAll("details.ms-menu[open]")) menu.removeAttribute("open");
});
