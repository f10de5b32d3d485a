/* Loaded before plotly.js on the dashboards. plotly.js (its bundled d3) writes style
   attributes with setAttribute("style", …), which a strict CSP (style-src 'self', no
   'unsafe-inline') refuses and reports as a console error. Setting the same declarations
   through the CSSOM (element.style.cssText) is not an inline style in CSP's sense and is
   allowed, so the charts look as intended while the policy stays strict. */
(function () {
  "use strict";
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "style") {
      this.style.cssText = String(value);
      return;
    }
    setAttribute.call(this, name, value);
  };
})();
