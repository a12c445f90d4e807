// A page that hides the navigation sidebar (a paper, a listing: front matter
// `hide: [navigation]`) is sent with the phone's drawer empty: on a wide screen
// the tabs show the same links, and 50,000 paper pages each carrying a second
// copy of them was 1.8 KB a page, 88 MB of the site (base.html). This fills the
// drawer from the header and the tabs, with the markup partials/nav.html gives
// every other page, before the reader can open it. Loaded only on such pages.
(() => {
  const inner = document.querySelector(".md-sidebar--primary .md-sidebar__inner");
  const tabs = document.querySelectorAll(".md-tabs__item");
  const logo = document.querySelector(".md-header .md-logo");
  if (!inner || inner.firstElementChild || !tabs.length || !logo) return;
  const element = (tag, className, ...children) => {
    const node = document.createElement(tag);
    node.className = className;
    node.append(...children);
    return node;
  };
  const nav = element("nav", "md-nav md-nav--primary md-nav--lifted");
  nav.setAttribute("aria-label", inner.dataset.piLabel || "Navigation");
  nav.dataset.mdLevel = "0";
  const home = logo.cloneNode(true);
  home.className = "md-nav__button md-logo";
  const title = element("label", "md-nav__title", home, logo.getAttribute("title") || "");
  title.htmlFor = "__drawer";
  nav.append(title);
  const source = document.querySelector(".md-header__source .md-source");
  if (source) nav.append(element("div", "md-nav__source", source.cloneNode(true)));
  const list = element("ul", "md-nav__list");
  list.dataset.mdScrollfix = "";
  for (const tab of tabs) {
    const link = tab.querySelector("a");
    const item = element("li", "md-nav__item");
    if (tab.classList.contains("md-tabs__item--active")) item.classList.add("md-nav__item--active");
    const copy = element("a", "md-nav__link", element("span", "md-ellipsis", link.textContent));
    copy.href = link.getAttribute("href");
    if (copy.pathname === location.pathname) copy.classList.add("md-nav__link--active");
    item.append(copy);
    list.append(item);
  }
  nav.append(list);
  inner.append(nav);
})();
