// Number formats for grid cells; they match marginscope/formats.py (en-US grouping).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
var MS = (function () {
  var whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  var cents = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var tenths = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  function missing(v) { return v === null || v === undefined || (typeof v === "number" && isNaN(v)); }
  function fmt(formatter) { return function (v) { return missing(v) ? "n/a" : formatter(v); }; }
  return {
    money: fmt(function (v) { return whole.format(v); }),
    moneyExact: fmt(function (v) { return cents.format(v); }),
    percent: fmt(function (v) { return tenths.format(v * 100) + "%"; }),
    count: fmt(function (v) { return whole.format(v); }),
    number: fmt(function (v) { return tenths.format(v); }),
    ratio: fmt(function (v) { return cents.format(v) + "×"; }),
    compareDates: function (filterDate, cell) {
      if (!cell) { return -1; }
      var d = new Date(cell + "T00:00:00");
      return d < filterDate ? -1 : d > filterDate ? 1 : 0;
    },
  };
})();
window.MS = MS;
dagfuncs.MS = MS;
